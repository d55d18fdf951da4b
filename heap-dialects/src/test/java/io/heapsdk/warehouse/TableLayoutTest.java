package io.heapsdk.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.config.HeapConfigException;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.Fingerprints;
import io.heapsdk.testing.H2Db;
import io.heapsdk.testing.StandardError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Physical table options reach each warehouse's CREATE TABLE, and bad ones name the config key. */
class TableLayoutTest {
  private static final String FACT = "stg_heap_events_all_inc_fct";

  private static String fullBuild(Warehouse w, HeapConfig config) {
    ProjectPlan plan = HeapProject.standard(config).plan();
    return BuildPlan.fullRefresh(w, plan).script(FACT);
  }

  /** By user and time, what an incremental run deletes and reads by (PhysicalOptions.resolve says why). */
  @Test
  void defaultsFollowTheRunsUserAndTime() {
    HeapConfig c = HeapConfig.defaults();
    assertThat(fullBuild(Warehouses.BIGQUERY, c))
        .contains("PARTITION BY DATE(`heap_event_time`)\nCLUSTER BY `heap_user_id`\nAS\n");
    assertThat(fullBuild(Warehouses.SNOWFLAKE, c))
        .contains("CLUSTER BY (TO_DATE(\"HEAP_EVENT_TIME\"), \"HEAP_USER_ID\")\nCOPY GRANTS\nCOPY TAGS\nAS\n");
    assertThat(fullBuild(Warehouses.REDSHIFT, c)).contains("DISTKEY(\"heap_user_id\")\nSORTKEY(\"heap_event_time\")\nAS\n");
    assertThat(fullBuild(Warehouses.H2, c)).doesNotContain("CLUSTER").doesNotContain("PARTITION BY DATE");
    // every standard fact: sessions and pageviews have their own time column but the same user column
    ProjectPlan plan = HeapProject.standard(c).plan();
    String sessions = BuildPlan.fullRefresh(Warehouses.SNOWFLAKE, plan).script("stg_heap_sessions_inc_fct");
    assertThat(sessions).contains("CLUSTER BY (TO_DATE(\"HEAP_SESSION_START_TIME\"), \"HEAP_USER_ID\")");
  }

  /**
   * The keys a warehouse says it reads ({@link Warehouse#layoutKeys}) are exactly those whose value
   * changes its CREATE TABLE's options, each set alone against the defaults; the others are said to be
   * unused there ({@link Warehouse#unusedLayout}), where a probe found cluster_by on PostgreSQL ignored
   * without a word.
   */
  @Test
  void theKeysAWarehouseReadsAreThoseThatChangeItsTables() {
    Optional<String> id = Optional.of("id");
    Optional<String> time = Optional.of("t1");
    Optional<String> user = Optional.of("u");
    Map<String, PhysicalOptions> oneKey = Map.of(
        "partition_by", new PhysicalOptions(Optional.of("t2"), List.of(), Optional.empty(), List.of()),
        "partition_granularity",
        new PhysicalOptions(Optional.empty(), List.of(), Optional.empty(), List.of(), Optional.of(PhysicalOptions.Granularity.MONTH)),
        "cluster_by", new PhysicalOptions(Optional.empty(), List.of("x"), Optional.empty(), List.of()),
        "dist_key", new PhysicalOptions(Optional.empty(), List.of(), Optional.of("x"), List.of()),
        "sort_key", new PhysicalOptions(Optional.empty(), List.of(), Optional.empty(), List.of("x")));
    for (Warehouse w : Warehouses.all()) {
      String defaults = w.tableOptions(PhysicalOptions.DEFAULTS.resolve(id, time, user));
      Set<String> changing = new TreeSet<>();
      oneKey.forEach((key, options) -> {
        assertThat(options.setKeys()).containsExactly(key);
        if (!w.tableOptions(options.resolve(id, time, user)).equals(defaults)) {
          changing.add(key);
        }
      });
      assertThat(new TreeSet<>(w.layoutKeys())).as(w.name()).isEqualTo(changing);
    }
    assertThat(PhysicalOptions.DEFAULTS.withoutClustering().setKeys()).containsExactly("cluster_by");

    HeapConfig c = HeapConfigLoader.parse(
        "models:\n  " + FACT + ":\n    cluster_by: [heap_session_id]\n    partition_by: heap_event_time\n"
            + "  stg_heap_sessions_inc_fct:\n    sort_key: [heap_session_start_time]\n", "heap.yml");
    String readers = " (BigQuery reads partition_by, partition_granularity and cluster_by; Snowflake and Databricks cluster_by; Redshift dist_key and sort_key)";
    assertThat(Warehouses.POSTGRES.unusedLayout(c)).containsExactly(
        "models." + FACT + ".partition_by, models." + FACT + ".cluster_by are not used on postgres, which has no table layout options" + readers,
        "models.stg_heap_sessions_inc_fct.sort_key is not used on postgres, which has no table layout options" + readers);
    assertThat(Warehouses.SNOWFLAKE.unusedLayout(c)).containsExactly(
        "models." + FACT + ".partition_by is not used on snowflake, which lays tables out by cluster_by only" + readers,
        "models.stg_heap_sessions_inc_fct.sort_key is not used on snowflake, which lays tables out by cluster_by only" + readers);
    assertThat(Warehouses.BIGQUERY.unusedLayout(c)).containsExactly(
        "models.stg_heap_sessions_inc_fct.sort_key is not used on bigquery, which lays tables out by cluster_by, partition_by,"
            + " partition_granularity only" + readers);
    assertThat(Warehouses.REDSHIFT.unusedLayout(c)).containsExactly(
        "models." + FACT + ".partition_by, models." + FACT + ".cluster_by are not used on redshift, which lays tables out by dist_key,"
            + " sort_key only" + readers);
  }

  /** A run says so in its log, before it builds (heap run prints it as a WARN line). */
  @Test
  void aRunWarnsOfTheLayoutKeysItsWarehouseDoesNotRead() {
    HeapConfig c = HeapConfigLoader.parse("models:\n  " + FACT + ":\n    cluster_by: [heap_session_id]\n", "heap.yml");
    try (H2Db db = H2Db.create(c);
        StandardError log = StandardError.capture()) {
      db.buildStandard();
      assertThat(log.text()).contains("models." + FACT + ".cluster_by is not used on h2, which has no table layout options");
    }
  }

  /** A model declaring another user column is laid out by it. */
  @Test
  void aDeclaredUserColumnLeadsTheLayout() {
    PhysicalOptions o = PhysicalOptions.DEFAULTS.resolve(
        java.util.Optional.of("order_id"), java.util.Optional.of("ordered_at"), java.util.Optional.of("customer_id"));
    assertThat(Warehouses.REDSHIFT.tableOptions(o)).isEqualTo("DISTKEY(\"customer_id\")\nSORTKEY(\"ordered_at\")");
    assertThat(Warehouses.SNOWFLAKE.tableOptions(o)).isEqualTo("CLUSTER BY (TO_DATE(\"ORDERED_AT\"), \"CUSTOMER_ID\")");
    assertThat(Warehouses.BIGQUERY.tableOptions(o)).isEqualTo("PARTITION BY DATE(`ordered_at`)\nCLUSTER BY `customer_id`");
  }

  @Test
  void configuredOptions() {
    HeapConfig c =
        HeapConfigLoader.parse(
            "models:\n  " + FACT + ":\n    cluster_by: [heap_user_id, heap_event_time]\n    dist_key: heap_user_id\n", "heap.yml");
    assertThat(fullBuild(Warehouses.BIGQUERY, c)).contains("CLUSTER BY `heap_user_id`, `heap_event_time`\nAS\n");
    assertThat(fullBuild(Warehouses.SNOWFLAKE, c)).contains("CLUSTER BY (\"HEAP_USER_ID\", \"HEAP_EVENT_TIME\")");
    assertThat(fullBuild(Warehouses.REDSHIFT, c)).contains("DISTKEY(\"heap_user_id\")");
    // a configured cluster_by is used as written: no date added in front on Snowflake
    HeapConfig byId = HeapConfigLoader.parse("models:\n  " + FACT + ":\n    cluster_by: [heap_event_id]\n    dist_key: heap_event_id\n", "heap.yml");
    assertThat(fullBuild(Warehouses.SNOWFLAKE, byId)).contains("CLUSTER BY (\"HEAP_EVENT_ID\")\nCOPY GRANTS");
    assertThat(fullBuild(Warehouses.BIGQUERY, byId)).contains("CLUSTER BY `heap_event_id`\nAS\n");
    assertThat(fullBuild(Warehouses.REDSHIFT, byId)).contains("DISTKEY(\"heap_event_id\")\nSORTKEY(\"heap_event_time\")");
  }

  /**
   * {@code cluster_by: none}: no clustering key where the default gives one (Snowflake charges credits to
   * keep one), the rest of the layout as before; a changed layout is a changed fingerprint, so the next
   * run rebuilds the fact.
   */
  @Test
  void clusterByNoneLeavesTheTableWithoutAClusteringKey() {
    HeapConfig none = HeapConfigLoader.parse("models:\n  " + FACT + ":\n    cluster_by: none\n", "heap.yml");
    assertThat(fullBuild(Warehouses.SNOWFLAKE, none)).doesNotContain("CLUSTER BY").contains("\nCOPY GRANTS\nCOPY TAGS\nAS\n");
    assertThat(fullBuild(Warehouses.BIGQUERY, none)).doesNotContain("CLUSTER BY").contains("PARTITION BY DATE(`heap_event_time`)\nAS\n");
    assertThat(fullBuild(Warehouses.SPARK, none)).doesNotContain("CLUSTER BY");
    assertThat(fullBuild(Warehouses.REDSHIFT, none)).contains("DISTKEY(\"heap_user_id\")\nSORTKEY(\"heap_event_time\")\nAS\n");
    // only the model named: the sessions fact keeps its default key
    ProjectPlan plan = HeapProject.standard(none).plan();
    assertThat(BuildPlan.fullRefresh(Warehouses.SNOWFLAKE, plan).script("stg_heap_sessions_inc_fct")).contains("CLUSTER BY (TO_DATE(");
    assertThat(Fingerprints.of(Warehouses.SNOWFLAKE, plan).of(FACT))
        .isNotEqualTo(Fingerprints.of(Warehouses.SNOWFLAKE, HeapProject.standard(HeapConfig.defaults()).plan()).of(FACT));
    assertThat(PhysicalOptions.DEFAULTS.withoutClustering().resolve(
            java.util.Optional.of("k"), java.util.Optional.of("t"), java.util.Optional.of("u")).clusterBy())
        .isEmpty();
    assertThatThrownBy(() -> new PhysicalOptions(java.util.Optional.empty(), List.of("u"), java.util.Optional.empty(), List.of(),
            java.util.Optional.empty(), java.util.Optional.empty(), true))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageContaining("none (unclustered) and columns [u] at once");
  }

  @Test
  void unknownModelOrColumnIsAnError() {
    HeapConfig unknownModel = HeapConfigLoader.parse("models:\n  stg_heap_event_fct:\n    dist_key: x\n", "heap.yml");
    // a config error found at planning still names the file and key (c07, c54)
    assertThatThrownBy(() -> fullBuild(Warehouses.REDSHIFT, unknownModel))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("heap.yml: models.stg_heap_event_fct: names no materialized model; they are [")
        .hasMessageContaining(FACT);
    HeapConfig unknownColumn = HeapConfigLoader.parse("models:\n  " + FACT + ":\n    sort_key: [event_time]\n", "heap.yml");
    assertThatThrownBy(() -> fullBuild(Warehouses.REDSHIFT, unknownColumn))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("heap.yml: models." + FACT + ".sort_key[0]: names column [event_time], which model " + FACT + " does not have");
    // the key that names it, and the column meant where one is near
    HeapConfig typo = HeapConfigLoader.parse("models:\n  " + FACT + ":\n    cluster_by: [heap_user_id, Heap_Session_ID]\n", "heap.yml");
    assertThatThrownBy(() -> fullBuild(Warehouses.SNOWFLAKE, typo))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith(
            "heap.yml: models." + FACT + ".cluster_by[1]: names column [Heap_Session_ID], which model " + FACT
                + " does not have; did you mean 'heap_session_id'? Its columns are [");
    HeapConfig modelTypo = HeapConfigLoader.parse("models:\n  " + FACT.toUpperCase(java.util.Locale.ROOT) + ":\n    dist_key: x\n", "heap.yml");
    assertThatThrownBy(() -> fullBuild(Warehouses.REDSHIFT, modelTypo))
        .hasMessageStartingWith(
            "heap.yml: models." + FACT.toUpperCase(java.util.Locale.ROOT) + ": names no materialized model; did you mean '" + FACT + "'? They are [");
    HeapConfig built = HeapConfig.builder().putPhysicalOptions("nope", PhysicalOptions.DEFAULTS).build();
    assertThatThrownBy(() -> fullBuild(Warehouses.REDSHIFT, built))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("HeapConfig.builder(): models.nope: names no materialized model");
    // a text column cannot partition a BigQuery table (PARTITION BY DATE(<text>) is refused there): on
    // every warehouse, as the config's mistake
    HeapConfig textPartition = HeapConfigLoader.parse("models:\n  " + FACT + ":\n    partition_by: heap_event_name\n", "heap.yml");
    for (Warehouse w : List.of(Warehouses.BIGQUERY, Warehouses.SNOWFLAKE)) {
      assertThatThrownBy(() -> fullBuild(w, textPartition))
          .isInstanceOf(HeapConfigException.class)
          .hasMessage(
              "heap.yml: models." + FACT + ".partition_by: column heap_event_name is VARCHAR; partitions are by time: name a TIMESTAMP"
                  + " or DATE column of " + FACT);
    }
  }

  /**
   * BigQuery: a full refresh never replaces a fact in place (CREATE OR REPLACE fails when the
   * partitioning or clustering changed), it builds {@code __new}, drops the old table and renames; the
   * partition granularity reaches the PARTITION BY; target.location reaches the dataset's creation.
   */
  @Test
  void bigQueryBuildsAsideAndSwapsWithTheConfiguredPartitionsAndLocation() {
    HeapConfig c =
        HeapConfigLoader.parse(
            "target:\n  location: europe-west3\nmodels:\n  " + FACT + ":\n    partition_granularity: month\n", "heap.yml");
    ProjectPlan plan = HeapProject.standard(c).plan();
    BuildPlan full = BuildPlan.fullRefresh(Warehouses.BIGQUERY, plan);
    List<String> build =
        full.steps().stream().filter(s -> s.model().equals(FACT)).flatMap(s -> s.statements().stream()).toList();
    assertThat(build).hasSize(4);
    assertThat(build.get(0)).isEqualTo("DROP TABLE IF EXISTS `heap_models`.`" + FACT + "__new`");
    assertThat(build.get(1))
        .startsWith("CREATE TABLE `heap_models`.`" + FACT + "__new`\nPARTITION BY TIMESTAMP_TRUNC(`heap_event_time`, MONTH)\n");
    assertThat(build.get(2)).isEqualTo("DROP TABLE IF EXISTS `heap_models`.`" + FACT + "`");
    assertThat(build.get(3)).isEqualTo("ALTER TABLE `heap_models`.`" + FACT + "__new` RENAME TO `" + FACT + "`");
    // the swap is a step of its own (the run records the fact as being replaced around it), and not a
    // transaction: BigQuery runs DDL on permanent tables outside them
    assertThat(full.steps().stream().filter(s -> s.model().equals(FACT)).map(BuildPlan.Step::phase))
        .containsExactly(BuildPlan.Phase.BUILD, BuildPlan.Phase.SWAP);
    assertThat(Warehouses.BIGQUERY.swapsInOneTransaction()).isFalse();
    assertThat(full.script()).doesNotContain("CREATE OR REPLACE").doesNotContain("BEGIN TRANSACTION");
    assertThat(full.script()).startsWith("CREATE SCHEMA IF NOT EXISTS `heap_models`\nOPTIONS(location = 'europe-west3');\n");
    // the other warehouses have no schema location and ignore the key
    assertThat(BuildPlan.fullRefresh(Warehouses.SNOWFLAKE, plan).script()).startsWith("CREATE SCHEMA IF NOT EXISTS \"HEAP_MODELS\";\n");
    // day (the default) and year
    assertThat(fullBuild(Warehouses.BIGQUERY, HeapConfig.defaults())).contains("PARTITION BY DATE(`heap_event_time`)\n");
    HeapConfig yearly = HeapConfigLoader.parse("models:\n  " + FACT + ":\n    partition_granularity: year\n", "heap.yml");
    assertThat(fullBuild(Warehouses.BIGQUERY, yearly)).contains("PARTITION BY TIMESTAMP_TRUNC(`heap_event_time`, YEAR)\n");
  }
}
