package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.HeapException;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.run.SourceTables;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.testing.GoldenConfigs;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names a warehouse cannot store are refused when SQL is rendered, in one line naming the warehouse, the
 * config key (or model) and the name; names it can store, in any script, are not.
 */
class WarehouseNamesTest {
  /** The loop over code points, against Java's stream of them (which it replaces), surrogates included. */
  @Property(tries = 1000)
  void firstRefusedIsTheFirstRefusedCodePoint(
      @ForAll @StringLength(max = 6) @CharRange(from = 'a', to = 'e') @Chars({'\uD83D', '\uDE00', 'é'}) String name) {
    IntPredicate allowed = cp -> cp < 0x80 && cp != 'c';
    int expected = name.codePoints().filter(allowed.negate()).findFirst().orElse(-1);
    assertThat(Warehouse.firstRefused(name, allowed)).as(name).isEqualTo(expected);
  }

  /** 21 CJK characters: 63 bytes of UTF-8, PostgreSQL's limit exactly. */
  private static final String CJK_63_BYTES = "分".repeat(21);

  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "redshift", "h2", "postgres", "duckdb", "spark", "trino"})
  void everyWarehouseButBigQueryTakesTheUnicodeConfigsNames(String name) {
    Warehouse w = Warehouses.byName(name);
    HeapConfig unicode = GoldenConfigs.load("unicode");
    assertThat(GoldenConfigs.hasVariant("unicode", w)).isFalse();
    assertThatCode(() -> BuildPlan.fullRefresh(w, HeapProject.standard(unicode).plan())).doesNotThrowAnyException();
  }

  /**
   * Where Heap Connect syncs (Snowflake, BigQuery, Redshift), the models may not go into the schema of
   * Heap's tables: Heap says tables and views made there break its sync. Refused when SQL is rendered
   * (compile, run, dry-run), naming target.schema; the same schema as each warehouse stores names, and
   * only where the databases are shown to be one. Elsewhere (the embedded engines, PostgreSQL, Spark,
   * Trino), Heap syncs nothing and one schema is allowed.
   */
  @Test
  void theModelsMayNotGoIntoHeapsSchemaWhereHeapSyncs() {
    String[][] same = {
      // source.schema, target.schema, source.database, target.database ("" for unset)
      {"main_production", "main_production", "", ""},
      {"main_production", "MAIN_PRODUCTION", "", ""},
      {"main_production", "main_production", "heap", "heap"},
    };
    for (String name : List.of("snowflake", "bigquery", "redshift")) {
      Warehouse w = Warehouses.byName(name);
      for (String[] c : same) {
        if (w == Warehouses.BIGQUERY && !c[0].equals(c[1])) {
          continue; // BigQuery's dataset names are case-sensitive: those are two datasets (below)
        }
        ProjectPlan plan = HeapProject.standard(config(c)).plan();
        assertThatThrownBy(() -> BuildPlan.fullRefresh(w, plan))
            .as("%s: %s", name, String.join(", ", c))
            .isInstanceOf(io.heapsdk.config.HeapConfigException.class)
            .hasMessageContaining("target.schema: the models would go into " + c[1] + ", the schema of Heap's tables (source.schema)")
            .hasMessageContaining("give the models a schema of their own on " + name);
        assertThatThrownBy(() -> BuildPlan.incremental(w, plan)).isInstanceOf(io.heapsdk.config.HeapConfigException.class);
      }
    }
    // apart: another schema; an exact name of another case on Snowflake; a database set on one side only,
    // or two databases; on BigQuery, a dataset of another case
    String[][] apart = {
      {"main_production", "heap_models", "", ""},
      {"main_production", "main_production", "heap", ""},
      {"main_production", "main_production", "heap", "models"},
    };
    for (String name : List.of("snowflake", "bigquery", "redshift")) {
      for (String[] c : apart) {
        assertThatCode(() -> BuildPlan.fullRefresh(Warehouses.byName(name), HeapProject.standard(config(c)).plan()))
            .as("%s: %s", name, String.join(", ", c))
            .doesNotThrowAnyException();
      }
    }
    assertThatCode(() -> BuildPlan.fullRefresh(Warehouses.SNOWFLAKE, HeapProject.standard(config(new String[] {"main_production", "\"main_production\"", "", ""})).plan()))
        .as("MAIN_PRODUCTION and \"main_production\" are two schemas on Snowflake")
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> BuildPlan.fullRefresh(Warehouses.REDSHIFT, HeapProject.standard(config(new String[] {"main_production", "\"Main_Production\"", "", ""})).plan()))
        .as("Redshift folds quoted names too")
        .isInstanceOf(io.heapsdk.config.HeapConfigException.class);
    assertThatCode(() -> BuildPlan.fullRefresh(Warehouses.BIGQUERY, HeapProject.standard(config(new String[] {"main_production", "Main_Production", "", ""})).plan()))
        .doesNotThrowAnyException();
    for (String name : List.of("h2", "postgres", "duckdb", "spark", "trino")) {
      assertThatCode(() -> BuildPlan.fullRefresh(Warehouses.byName(name), HeapProject.standard(config(same[0])).plan()))
          .as(name)
          .doesNotThrowAnyException();
    }
  }

  private static HeapConfig config(String[] c) {
    HeapConfig.Builder b = HeapConfig.builder().sourceSchema(c[0]).targetSchema(c[1]);
    if (!c[2].isEmpty()) {
      b.sourceDatabase(c[2]);
    }
    if (!c[3].isEmpty()) {
      b.targetDatabase(c[3]);
    }
    return b.build();
  }

  /** A name in double quotes is kept as written, the quotes off; a plain one folds as each warehouse folds. */
  @Test
  void aQuotedNameKeepsItsCaseOnEveryWarehouse() {
    assertThat(Warehouses.SNOWFLAKE.quote("\"AllEvents\"")).isEqualTo("\"AllEvents\"");
    assertThat(Warehouses.SNOWFLAKE.quote("AllEvents")).isEqualTo("\"ALLEVENTS\"");
    assertThat(Warehouses.H2.storedName("\"AllEvents\"")).isEqualTo("AllEvents");
    assertThat(Warehouses.POSTGRES.quote("\"AllEvents\"")).isEqualTo("\"AllEvents\"");
    assertThat(Warehouses.POSTGRES.quote("AllEvents")).isEqualTo("\"allevents\"");
    assertThat(Warehouses.BIGQUERY.quote("\"AllEvents\"")).isEqualTo("`AllEvents`");
    assertThat(Warehouses.SPARK.quote("\"All`Events\"")).isEqualTo("`All``Events`");
    // a quote inside stays a doubled quote; a lone quote or "" is not the quoted form, but a name
    assertThat(Warehouses.POSTGRES.quote("\"a\"b\"")).isEqualTo("\"a\"\"b\"");
    assertThat(Warehouses.POSTGRES.quote("\"\"")).isEqualTo("\"\"\"\"\"\"");
    // BigQuery judges the name inside the quotes: a dataset of ASCII letters is fine
    Warehouses.BIGQUERY.checkName(Warehouse.NameKind.SCHEMA, "source.schema", "\"HeapProd\"");
  }

  @Test
  void bigQueryRefusesADatasetOutsideAsciiNamingKeyAndName() {
    ProjectPlan plan = HeapProject.standard(GoldenConfigs.load("unicode")).plan();
    assertThatThrownBy(() -> new SqlRenderer(Warehouses.BIGQUERY, plan))
        .isInstanceOf(HeapException.class)
        .hasMessage(
            "bigquery cannot use source.schema \"ヒープ_本番\" as a dataset name: BigQuery dataset names hold only ASCII"
                + " letters, digits and underscores (at most 1,024)");
    assertThatThrownBy(() -> new SqlRenderer(Warehouses.BIGQUERY, HeapProject.standard(GoldenConfigs.load("hostile")).plan()))
        .hasMessageStartingWith("bigquery cannot use source.schema \"heap-prod\" as a dataset name");
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().targetSchema("модели").build()))
        .hasMessageStartingWith("bigquery cannot use target.schema \"модели\" as a dataset name");
    // a newline in the name is shown as one: the message stays one line (the CLI prints the first)
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().targetSchema("line1\nline2").build()))
        .hasMessageStartingWith("bigquery cannot use target.schema \"line1\\nline2\" as a dataset name: ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void bigQueryTablesTakeLettersMarksNumbersConnectorsDashesAndSpacesButNoEmoji() {
    // Japanese, a combining mark, full-width digit, dash, space and underscore: categories L, M, N, Pd, Zs, Pc
    assertThatCode(() -> bigQuery(HeapConfig.builder().sourceTables(Map.of("pageviews", "ページ ビュー-cafe\u0301_３")).build()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().sourceTables(Map.of("pageviews", "ページビュー🛒")).build()))
        .hasMessage(
            "bigquery cannot use source.tables.pageviews \"ページビュー🛒\" as a table name: BigQuery table names hold only"
                + " letters, marks, numbers, connectors, dashes and spaces (Unicode L, M, N, Pc, Pd, Zs), not \"🛒\" (U+1F6D2)");
    // an invisible character is named by its code only
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().sourceTables(Map.of("sessions", "\u202Esessions")).build()))
        .hasMessageEndingWith("not U+202E");
    // 342 three-byte characters: 1,026 bytes
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().sourceTables(Map.of("sessions", "表".repeat(342))).build()))
        .hasMessageEndingWith("BigQuery table names are at most 1024 UTF-8 bytes; this one is 1026");
  }

  @Test
  void bigQueryColumnsAreFlexibleColumnNamesNamedByTheirKey() {
    assertThatCode(
            () -> bigQuery(HeapConfig.builder().pageviewProperties(List.of(PassThroughColumn.varchar("Кампания: 春 & 50% #1"))).build()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().pageviewProperties(List.of(PassThroughColumn.varchar("👩\u200D💻"))).build()))
        .hasMessage(
            "bigquery cannot use source.pageview_properties[0] \"👩\u200D💻\" as a column name: BigQuery column names hold only"
                + " letters, marks, numbers, connectors, dashes, spaces and &%=+:'<>#|, not \"👩\" (U+1F469)");
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().sourceColumns(Map.of("pageviews.path", "путь.к")).build()))
        .hasMessageStartingWith("bigquery cannot use source.columns.pageviews.path \"путь.к\" as a column name")
        .hasMessageEndingWith("not \".\" (U+002E)");
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().sourceColumns(Map.of("sessions.utm_source", "_PARTITIONTIME")).build()))
        .hasMessageEndingWith("BigQuery reserves column names starting with _PARTITION");
    assertThatThrownBy(() -> bigQuery(HeapConfig.builder().pageviewProperties(List.of(PassThroughColumn.varchar("ä".repeat(301)))).build()))
        .hasMessageEndingWith("BigQuery column names are at most 300 characters; this one has 301");
  }

  @Test
  void aModelsColumnIsNamedByItsModel() {
    HeapProject project = HeapProject.standard(HeapConfig.defaults());
    project.model("purchase_channels").plan(ctx -> {
      var b = ctx.ref("stg_heap_sessions_inc_fct");
      return b.project(List.of(b.field("heap_session_id")), List.of("セッション🛒")).build();
    });
    ProjectPlan plan = project.plan();
    // (model names are ASCII: lower case letters, digits and underscores) a Japanese column is fine on
    // BigQuery, an emoji in it is not
    assertThatThrownBy(() -> BuildPlan.fullRefresh(Warehouses.BIGQUERY, plan))
        .hasMessageStartingWith("bigquery cannot use model purchase_channels's column \"セッション🛒\" as a column name");
    assertThatCode(() -> BuildPlan.fullRefresh(Warehouses.SNOWFLAKE, plan)).doesNotThrowAnyException();
  }

  @Test
  void postgresKeepsOnly63BytesOfAnyName() {
    assertThatCode(() -> render(Warehouses.POSTGRES, HeapConfig.builder().sourceSchema(CJK_63_BYTES).build())).doesNotThrowAnyException();
    assertThatThrownBy(() -> render(Warehouses.POSTGRES, HeapConfig.builder().sourceSchema(CJK_63_BYTES + "a").build()))
        .hasMessage(
            "postgres cannot use source.schema \"" + CJK_63_BYTES + "a\" as a schema name: PostgreSQL keeps only the first 63"
                + " bytes of a name; this one is 64 bytes of UTF-8");
    // a model's table and the table it is built into before the swap (name + "__new")
    HeapProject project = HeapProject.standard(HeapConfig.defaults());
    String model = "m".repeat(59); // with __new 64
    project.model(model).plan(ctx -> ctx.ref("stg_heap_sessions_inc_fct").build());
    assertThatThrownBy(() -> BuildPlan.fullRefresh(Warehouses.POSTGRES, project.plan()))
        .hasMessageStartingWith("postgres cannot use model " + model + "'s build table \"" + model + "__new\" as a table name")
        .hasMessageEndingWith("this one is 64 bytes of UTF-8");
    // and a model's column
    HeapProject columns = HeapProject.standard(HeapConfig.defaults());
    columns.model("long_column").plan(ctx -> {
      var b = ctx.ref("stg_heap_sessions_inc_fct");
      return b.project(List.of(b.field("heap_session_id")), List.of(CJK_63_BYTES + "x")).build();
    });
    assertThatThrownBy(() -> BuildPlan.fullRefresh(Warehouses.POSTGRES, columns.plan()))
        .hasMessageStartingWith("postgres cannot use model long_column's column");
  }

  @Test
  void redshiftTakes127BytesOfPrintableCharacters() {
    String cjk126 = "赤".repeat(42);
    assertThatCode(() -> render(Warehouses.REDSHIFT, HeapConfig.builder().targetSchema(cjk126).build())).doesNotThrowAnyException();
    assertThatThrownBy(() -> render(Warehouses.REDSHIFT, HeapConfig.builder().targetSchema(cjk126 + "xy").build()))
        .hasMessage(
            "redshift cannot use target.schema \"" + cjk126 + "xy\" as a schema name: Redshift names are at most 127 bytes"
                + " of UTF-8; this one is 128");
    assertThatThrownBy(() -> render(Warehouses.REDSHIFT, HeapConfig.builder().sourceColumns(Map.of("sessions.referrer", "ref\trer")).build()))
        .hasMessageEndingWith("Redshift names hold only printable characters, not U+0009");
    // an emoji of four bytes is a printable character
    assertThatCode(() -> render(Warehouses.REDSHIFT, HeapConfig.builder().targetSchema("分析🛒").build())).doesNotThrowAnyException();
  }

  @Test
  void snowflakeCountsCharactersNotBytes() {
    String emoji255 = "🛒".repeat(255);
    assertThatCode(() -> render(Warehouses.SNOWFLAKE, HeapConfig.builder().targetSchema(emoji255).build())).doesNotThrowAnyException();
    assertThatThrownBy(() -> render(Warehouses.SNOWFLAKE, HeapConfig.builder().targetSchema(emoji255 + "x").build()))
        .hasMessageEndingWith("Snowflake names are at most 255 characters; this one has 256");
  }

  /** The limit is H2's own: it takes a 256-unit name and refuses the next one with the same message. */
  @Test
  void h2TakesWhatH2Takes() throws SQLException {
    String longest = "🛒".repeat(128); // 256 UTF-16 code units
    HeapConfig ok = HeapConfig.builder().sourceSchema(longest).build();
    HeapConfig tooLong = HeapConfig.builder().sourceSchema(longest + "x").build();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:")) {
      new SourceTables(Warehouses.H2, ok).create(c);
      try (Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.execute("CREATE SCHEMA " + Warehouses.H2.quote(longest + "x"))).hasMessageContaining("too long");
      }
    }
    assertThatThrownBy(() -> new SourceTables(Warehouses.H2, tooLong))
        .hasMessageEndingWith("H2 names are at most 256 UTF-16 code units; this one has 257");
  }

  @ParameterizedTest
  @ValueSource(strings = {"duckdb", "spark", "trino"})
  void duckDbSparkAndTrinoRefuseNothing(String name) {
    // Spark's and Trino's rules belong to their catalogs (Unity Catalog, Hive metastore, Glue): see the README
    HeapConfig config =
        HeapConfig.builder().sourceSchema("схема 🛒.x/y").targetSchema("分".repeat(400)).pageviewProperties(List.of(PassThroughColumn.varchar("a\tb"))).build();
    assertThatCode(() -> render(Warehouses.byName(name), config)).doesNotThrowAnyException();
  }

  /** Every way to SQL checks: the renderer, a build plan, an analysis, the data tests, the source tables. */
  @Test
  void everyEntryPointRefuses() {
    HeapConfig config = HeapConfig.builder().sourceSchema("ヒープ").build();
    String message = "bigquery cannot use source.schema \"ヒープ\" as a dataset name";
    assertThatThrownBy(() -> BuildPlan.incremental(Warehouses.BIGQUERY, HeapProject.standard(config).plan())).hasMessageStartingWith(message);
    assertThatThrownBy(() -> new AnalysisRunner(Warehouses.BIGQUERY, config).sql(Funnel.builder().step("閲覧").step("購入").build()))
        .hasMessageStartingWith(message);
    assertThatThrownBy(() -> new DataTestSql(Warehouses.BIGQUERY, HeapProject.standard(config))).hasMessageStartingWith(message);
    assertThatThrownBy(() -> new SourceTables(Warehouses.BIGQUERY, config)).hasMessageStartingWith(message);
  }

  private static void bigQuery(HeapConfig config) {
    render(Warehouses.BIGQUERY, config);
  }

  private static void render(Warehouse w, HeapConfig config) {
    new SqlRenderer(w, HeapProject.standard(config).plan());
  }
}
