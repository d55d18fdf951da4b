package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.Exprs;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plans type text in UTF-8, and a dialect that claims character-set support makes Calcite print it:
 * {@code CAST(x AS VARCHAR CHARACTER SET "UTF-8")}, {@code _UTF-8'…'}. No warehouse here takes either.
 * Casts to text of columns and of literals outside ASCII, and literals of different lengths in one
 * CASE, reach every warehouse without a character set.
 */
class CharsetFreeSqlTest {
  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "bigquery", "redshift", "h2", "postgres", "duckdb", "spark", "trino"})
  void castsAndLiteralsCarryNoCharacterSet(String name) {
    Warehouse w = Warehouses.byName(name);
    assertThat(w.dialect().supportsCharSet()).as("%s dialect claims character sets", name).isFalse();
    HeapProject project = HeapProject.standard(HeapConfig.defaults());
    project
        .model("texts")
        .plan(
            ctx -> {
              RelBuilder b = ctx.ref("stg_heap_sessions_inc_fct");
              return b.project(
                      List.of(
                          Exprs.asText(b, b.field("heap_session_id")),
                          b.cast(b.literal("购买🛒"), SqlTypeName.VARCHAR),
                          b.cast(b.field("heap_session_country"), SqlTypeName.VARCHAR, 50),
                          Exprs.firstMatch(
                              b,
                              List.of(b.isNull(b.field("heap_session_referrer"))),
                              List.of(b.literal("Прямой")),
                              b.literal("𠮷")),
                          Exprs.concat(b, b.literal("ユーザー "), Exprs.asText(b, b.field("heap_user_id")))),
                      List.of("session_text", "emoji_text", "country_text", "channel_text", "user_label"))
                  .build();
            });
    ProjectPlan plan = project.plan();
    String sql = BuildPlan.fullRefresh(w, plan).script("texts");
    assertThat(sql)
        .contains("购买🛒", "Прямой", "𠮷", "ユーザー ")
        .doesNotContainPattern("(?i)CHARACTER\\s+SET|\\bCHARSET\\b|COLLATE|UTF-?8|ISO-?8859|\\bU&'|(?<![\\w\"'`])N'");
  }
}
