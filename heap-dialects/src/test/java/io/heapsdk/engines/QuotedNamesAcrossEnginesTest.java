package io.heapsdk.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.JdbcRunner;
import io.heapsdk.run.TableLookup;
import io.heapsdk.sample.SampleData;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Names written in double quotes in the config keep their case on every engine, as SQL's quoted
 * identifiers do: a schema {@code "HeapProd"}, a table {@code "AllEvents"}, a renamed column {@code
 * "EventName"}, a pass-through property {@code "PageCategory"} and a target schema {@code "Models"}.
 * Without the quotes PostgreSQL and DuckDB would look for {@code allevents}, H2 for {@code ALLEVENTS}
 * (what Heap Connect's unquoted names fold to), and a table made with a quoted mixed-case name could not
 * be read. The sample is loaded through the same names (so the tables are made exactly so, which the
 * driver's catalog shows), and the facts equal those of the same sample under plain names.
 */
class QuotedNamesAcrossEnginesTest {
  private static final String QUOTED =
      """
      funnel_events: [view_product, add_to_cart, purchase]
      conversion_events: [purchase]
      source:
        schema: '"HeapProd"'
        tables:
          all_events: '"AllEvents"'
        columns:
          all_events:
            event_table_name: '"EventName"'
        pageview_properties: ['"PageCategory"']
      target:
        schema: '"Models"'
      """;

  private static final String PLAIN =
      """
      funnel_events: [view_product, add_to_cart, purchase]
      conversion_events: [purchase]
      source:
        schema: heap_prod
        pageview_properties: [page_category]
      target:
        schema: models
      """;

  @ParameterizedTest
  @EnumSource(value = Engine.class, names = {"H2", "DUCKDB", "POSTGRES"})
  void quotedNamesKeepTheirCase(Engine engine) throws Exception {
    Warehouse w = engine.warehouse();
    HeapConfig quoted = HeapConfigLoader.parse(QUOTED, "quoted.yml");
    HeapConfig plain = HeapConfigLoader.parse(PLAIN, "plain.yml");
    SampleData sample = SampleData.of(150, 3);
    try (Connection q = engine.open();
        Connection p = engine.open()) {
      sample.load(q, w, quoted);
      sample.load(p, w, plain);
      // the catalog holds the names exactly as written between the quotes
      assertThat(TableLookup.columns(w, q, w.table(quoted.sourceDatabase(), quoted.sourceSchema(), quoted.catalog().table("all_events").physicalName())))
          .hasValueSatisfying(columns -> assertThat(columns).contains("EventName"));
      assertThat(TableLookup.columns(w, q, w.table(java.util.Optional.empty(), "\"HeapProd\"", "pageviews")))
          .hasValueSatisfying(columns -> assertThat(columns).contains("PageCategory"));

      ProjectPlan quotedPlan = HeapProject.standard(quoted).plan();
      ProjectPlan plainPlan = HeapProject.standard(plain).plan();
      new JdbcRunner(w).run(quotedPlan, q);
      new JdbcRunner(w).run(plainPlan, p);
      sample.nextBatch().insert(q, w, quoted);
      sample.nextBatch().insert(p, w, plain);
      new JdbcRunner(w).run(quotedPlan, q);
      new JdbcRunner(w).run(plainPlan, p);

      String models = w.quote("\"Models\"");
      assertThat(TableLookup.columns(w, q, w.table(java.util.Optional.empty(), "\"Models\"", "stg_heap_pageview_sessions_inc_fct")))
          .hasValueSatisfying(columns -> assertThat(columns).contains("PageCategory"));
      for (String fact : List.of("stg_heap_events_all_inc_fct", "stg_heap_sessions_inc_fct")) {
        assertThat(RowMultiset.of(q, "quoted " + fact, "SELECT * FROM " + models + "." + w.quote(fact)).counts())
            .as(fact)
            .isEqualTo(RowMultiset.of(p, "plain " + fact, "SELECT * FROM " + w.quote("models") + "." + w.quote(fact)).counts())
            .isNotEmpty();
      }
      String pageviews = w.quote("stg_heap_pageview_sessions_inc_fct");
      String id = w.quote("heap_pageview_id");
      String session = w.quote("heap_pageview_session_id");
      assertThat(
              RowMultiset.of(
                      q, "quoted pageviews",
                      "SELECT " + id + ", " + session + ", " + w.quote("\"PageCategory\"") + " AS " + w.quote("category") + " FROM " + models + "."
                          + pageviews)
                  .counts())
          .isEqualTo(
              RowMultiset.of(
                      p, "plain pageviews",
                      "SELECT " + id + ", " + session + ", " + w.quote("page_category") + " AS " + w.quote("category") + " FROM "
                          + w.quote("models") + "." + pageviews)
                  .counts());
    }
  }
}
