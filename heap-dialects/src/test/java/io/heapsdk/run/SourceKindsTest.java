package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recorded kinds of the sources' columns, written and read back, and what counts as a change. */
class SourceKindsTest {
  private static TableLookup.Column column(String name, int jdbcType, String typeName, int scale) {
    return new TableLookup.Column(name, jdbcType, scale, 0, typeName);
  }

  @Test
  void kindsAreReadBackAsWrittenAndOnlyAChangeOfKindCounts() {
    Map<String, List<TableLookup.Column>> then =
        Map.of(
            "all_events", List.of(column("user_id", Types.BIGINT, "BIGINT", 0), column("time", Types.TIMESTAMP, "TIMESTAMP", 0)),
            "pageviews", List.of(column("prix, en €=", Types.VARCHAR, "VARCHAR", 0), column("extra", Types.OTHER, "JSON", 0)));
    Map<String, List<TableLookup.Column>> now =
        Map.of(
            // INTEGER for BIGINT, a zone on the time: the same kinds
            "all_events", List.of(column("user_id", Types.INTEGER, "INTEGER", 0), column("time", Types.TIMESTAMP_WITH_TIMEZONE, "TIMESTAMPTZ", 0)),
            "pageviews", List.of(column("prix, en €=", Types.NUMERIC, "NUMBER", 2), column("extra", Types.OTHER, "JSONB", 0),
                column("new_property", Types.VARCHAR, "VARCHAR", 0)));
    Map<String, Map<String, String>> recorded = SourceKinds.parse(SourceKinds.format(SourceKinds.of(then)), SourceKinds.formatBits(SourceKinds.of(then)));
    assertThat(recorded).isEqualTo(SourceKinds.of(then));
    // the JSON column has no kind: not recorded, never compared; a column new since is no change
    assertThat(recorded.get("pageviews")).containsOnlyKeys("prix, en €=");
    assertThat(SourceKinds.changed(recorded, SourceKinds.of(now)))
        .singleElement()
        .satisfies(c -> assertThat(c.said()).isEqualTo("prix, en €= text -> numbers with a fraction"))
        .satisfies(c -> assertThat(c.table()).isEqualTo("pageviews"));
    // a damaged entry is left out, the others read
    assertThat(SourceKinds.parse("all_events:user_id=BIGINT,garbage,:x=Y")).isEqualTo(Map.of("all_events", Map.of("user_id", "BIGINT")));
  }

  /**
   * A whole-number column grown to more bits is a change (a fact built from an INTEGER kept it, and a
   * value past 2^31 failed every merge after); fewer bits is none, and a kind recorded without its size (by
   * an older heap) is compared by kind alone.
   */
  @Test
  void aWholeNumberColumnGrownToMoreBitsCounts() {
    Map<String, List<TableLookup.Column>> then =
        Map.of("pageviews", List.of(column("experiment_bucket", Types.INTEGER, "INTEGER", 0), column("tier", Types.SMALLINT, "SMALLINT", 0)));
    Map<String, List<TableLookup.Column>> now =
        Map.of("pageviews", List.of(column("experiment_bucket", Types.BIGINT, "BIGINT", 0), column("tier", Types.TINYINT, "TINYINT", 0)));
    Map<String, Map<String, String>> kinds = SourceKinds.of(then);
    // the kinds' setting as a heap from before sizes wrote and reads it, the sizes in a setting of their own
    assertThat(SourceKinds.format(kinds)).isEqualTo("pageviews:experiment_bucket=BIGINT,pageviews:tier=BIGINT");
    assertThat(SourceKinds.formatBits(kinds)).isEqualTo("pageviews:experiment_bucket=32,pageviews:tier=16");
    Map<String, Map<String, String>> recorded = SourceKinds.parse(SourceKinds.format(kinds), SourceKinds.formatBits(kinds));
    assertThat(recorded).isEqualTo(Map.of("pageviews", Map.of("experiment_bucket", "BIGINT:32", "tier", "BIGINT:16")));
    // kinds recorded with their sizes, as one version of heap did, read as well
    assertThat(SourceKinds.parse("pageviews:experiment_bucket=BIGINT:32,pageviews:tier=BIGINT:16", null)).isEqualTo(recorded);
    // no sizes recorded (an older heap's run): compared by kind alone
    assertThat(SourceKinds.changed(SourceKinds.parse(SourceKinds.format(kinds), null), SourceKinds.of(now))).isEmpty();
    assertThat(SourceKinds.changed(recorded, SourceKinds.of(now)))
        .singleElement()
        .satisfies(c -> assertThat(c.said()).isEqualTo("experiment_bucket whole numbers (32-bit) -> whole numbers (64-bit)"));
    assertThat(SourceKinds.changed(Map.of("pageviews", Map.of("experiment_bucket", "BIGINT")), SourceKinds.of(now))).isEmpty();
    // another kind is said without sizes
    Map<String, List<TableLookup.Column>> text = Map.of("pageviews", List.of(column("experiment_bucket", Types.VARCHAR, "VARCHAR", 0)));
    assertThat(SourceKinds.changed(recorded, SourceKinds.of(text)))
        .singleElement()
        .satisfies(c -> assertThat(c.said()).isEqualTo("experiment_bucket whole numbers -> text"));
  }
}
