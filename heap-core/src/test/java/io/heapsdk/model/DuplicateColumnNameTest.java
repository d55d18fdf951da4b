package io.heapsdk.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.standard.StandardModels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/**
 * Two columns of a model given one name: Calcite renamed the second ({@code id0}), a name the model never
 * wrote, and names that differ only in case became one column on warehouses that ignore case in names.
 */
class DuplicateColumnNameTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().build();

  @Test
  void twoColumnsGivenOneNameAreRefused() {
    HeapProject p = sessionsAs("heap_user_id", "id", "heap_session_id", "id");
    assertThatThrownBy(p::plan)
        .isInstanceOf(HeapModelException.class)
        .hasMessage(
            "model x: output column #2 is named id0, the name Calcite gives a second column named id: give each column a name of its own"
                + " with .as(\"name\")");
  }

  @Test
  void namesThatDifferOnlyInCaseAreRefused() {
    HeapProject p = sessionsAs("heap_user_id", "Id", "heap_session_id", "id");
    assertThatThrownBy(p::plan)
        .isInstanceOf(HeapModelException.class)
        .hasMessage("model x: output columns #1 and #2 are named Id and id, one name to warehouses that ignore case in names: give each column a"
            + " name of its own");
  }

  /** A join's columns of the same name, kept whole (Calcite renames the right side's: heap_user_id0). */
  @Test
  void aJoinKeepingBothSidesColumnsOfOneNameIsRefused() {
    HeapProject p = HeapProject.standard(CONFIG);
    p.model("x")
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref(StandardModels.SESSIONS_FACT);
              b.project(b.field("heap_session_id"), b.field("heap_user_id"));
              ctx.ref(StandardModels.PAGEVIEW_SESSIONS_FACT);
              b.project(b.field("heap_pageview_id"), b.field("heap_user_id"));
              return b.join(JoinRelType.INNER, b.equals(b.field(2, 0, "heap_user_id"), b.field(2, 1, "heap_user_id"))).build();
            });
    assertThatThrownBy(p::plan).isInstanceOf(HeapModelException.class).hasMessageContaining("is named heap_user_id0, the name Calcite gives a second column named heap_user_id");
  }

  @Test
  void namesEndingInDigitsOfTheirOwnStay() {
    HeapProject p = sessionsAs("heap_user_id", "line", "heap_session_id", "line2", "heap_session_id", "step1");
    assertThat(p.plan().model("x").rowType().getFieldNames()).containsExactly("line", "line2", "step1");
  }

  /** Against Calcite itself: every name its renaming gives a repeated alias is told apart from the first. */
  @Test
  void everyNameCalciteGivesARepeatedAliasIsFound() {
    for (String alias : List.of("id", "id0", "a1", "x")) {
      for (int copies = 2; copies <= 12; copies++) {
        int n = copies;
        HeapProject p = HeapProject.standard(CONFIG);
        List<String> names = new ArrayList<>();
        p.model("x")
            .plan(
                ctx -> {
                  RelBuilder b = ctx.ref(StandardModels.SESSIONS_FACT);
                  List<RexNode> columns = new ArrayList<>();
                  for (int i = 0; i < n; i++) {
                    columns.add(b.alias(b.call(org.apache.calcite.sql.fun.SqlStdOperatorTable.PLUS, b.field("heap_session_sequence_num"), b.literal(i)), alias));
                  }
                  var rel = b.project(columns).build();
                  names.addAll(rel.getRowType().getFieldNames());
                  return rel;
                });
        assertThatThrownBy(p::plan).as(alias + " x" + n).isInstanceOf(HeapModelException.class);
        Set<String> all = new HashSet<>(names);
        assertThat(names.get(0)).isEqualTo(alias);
        for (String renamed : names.subList(1, names.size())) {
          assertThat(ProjectPlanner.renamedDuplicate(renamed, all)).as(renamed + " of " + names).isPresent();
        }
        assertThat(ProjectPlanner.renamedDuplicate(alias, all)).as(alias + " itself, of " + names).isEmpty();
      }
    }
  }

  /** The standard project and a model x of the sessions fact's columns under aliases: column, alias, column, alias, … */
  private static HeapProject sessionsAs(String... columnsAndAliases) {
    HeapProject p = HeapProject.standard(CONFIG);
    p.model("x")
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref(StandardModels.SESSIONS_FACT);
              List<RexNode> columns = new ArrayList<>();
              for (int i = 0; i < columnsAndAliases.length; i += 2) {
                columns.add(b.alias(b.field(columnsAndAliases[i]), columnsAndAliases[i + 1]));
              }
              return b.project(columns).build();
            });
    return p;
  }
}
