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
    Map<String, Map<String, String>> recorded = SourceKinds.parse(SourceKinds.format(SourceKinds.of(then)));
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
}
