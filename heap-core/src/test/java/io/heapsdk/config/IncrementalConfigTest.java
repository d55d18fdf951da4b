package io.heapsdk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config keys of incremental builds: lookback, identity resolution and table layout. */
class IncrementalConfigTest {
  private static HeapConfig parse(String yaml) {
    return HeapConfigLoader.parse(yaml, "heap.yml");
  }

  @Test
  void defaults() {
    HeapConfig c = parse("");
    assertThat(c.lateArrivalLookbackDays()).isEqualTo(3);
    assertThat(c.runHistoryDays()).isEqualTo(90);
    assertThat(c.countRowsBehindMark()).isFalse();
    assertThat(c.resolveMigrations()).isFalse();
    assertThat(c.physicalOptions("stg_heap_events_all_inc_fct")).isEqualTo(PhysicalOptions.DEFAULTS);
  }

  @Test
  void everyKey() {
    HeapConfig c =
        parse(
            String.join(
                "\n",
                "incremental:",
                "  late_arrival_lookback_days: 7",
                "  run_history_days: 400",
                "  count_rows_behind_mark: true",
                "identity:",
                "  resolve_migrations: true",
                "models:",
                "  stg_heap_events_all_inc_fct:",
                "    partition_by: heap_event_time",
                "    cluster_by: [heap_user_id, heap_event_id]",
                "    dist_key: heap_user_id",
                "    sort_key: [heap_event_time]"));
    assertThat(c.lateArrivalLookbackDays()).isEqualTo(7);
    assertThat(c.runHistoryDays()).isEqualTo(400);
    assertThat(HeapConfig.builder().from(c).build().runHistoryDays()).isEqualTo(400);
    assertThat(c.countRowsBehindMark()).isTrue();
    assertThat(HeapConfig.builder().from(c).build().countRowsBehindMark()).isTrue();
    assertThat(c.resolveMigrations()).isTrue();
    assertThat(c.physicalOptions("stg_heap_events_all_inc_fct"))
        .isEqualTo(
            new PhysicalOptions(
                Optional.of("heap_event_time"), List.of("heap_user_id", "heap_event_id"), Optional.of("heap_user_id"),
                List.of("heap_event_time")));
  }

  @Test
  void unsetOptionsTakeTheFactDefaults() {
    PhysicalOptions resolved =
        new PhysicalOptions(Optional.empty(), List.of("a"), Optional.empty(), List.of())
            .resolve(Optional.of("key"), Optional.of("time"), Optional.of("user"));
    // partition and sort by time, distribute by user; cluster_by was set, so no date leads it
    assertThat(resolved)
        .isEqualTo(new PhysicalOptions(Optional.of("time"), List.of("a"), Optional.of("user"), List.of("time")));
    // nothing set: cluster by user with the time's date leading on Snowflake
    assertThat(PhysicalOptions.DEFAULTS.resolve(Optional.of("key"), Optional.of("time"), Optional.of("user")))
        .isEqualTo(
            new PhysicalOptions(
                Optional.of("time"), List.of("user"), Optional.of("user"), List.of("time"), Optional.empty(), Optional.of("time")));
    // no user column: the unique key, as before
    assertThat(PhysicalOptions.DEFAULTS.resolve(Optional.of("key"), Optional.of("time"), Optional.empty()))
        .isEqualTo(
            new PhysicalOptions(
                Optional.of("time"), List.of("key"), Optional.of("key"), List.of("time"), Optional.empty(), Optional.of("time")));
    // a table without key, user or time gets no layout
    assertThat(PhysicalOptions.DEFAULTS.resolve(Optional.empty(), Optional.empty(), Optional.empty()))
        .isEqualTo(PhysicalOptions.DEFAULTS);
  }

  @Test
  void errorsNameTheKey() {
    assertThatThrownBy(() -> parse("incremental:\n  late_arrival_lookback_days: -1\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("heap.yml: incremental.late_arrival_lookback_days: expected a whole number of days from 0 to 3650, got -1");
    assertThatThrownBy(() -> parse("incremental:\n  run_history_days: 0\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("heap.yml: incremental.run_history_days: expected a whole number of days from 1 to 36500, got 0");
    assertThatThrownBy(() -> parse("identity:\n  resolve_migrations: sometimes\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("heap.yml: identity.resolve_migrations: expected true or false, got the text \"sometimes\"");
    assertThatThrownBy(() -> parse("models:\n  x:\n    clusterby: [a]\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("heap.yml: models.x.clusterby: unknown key; did you mean 'cluster_by'? Expected one of [cluster_by, dist_key, partition_by, partition_granularity, sort_key]");
    // an empty list would read as "no clustering", but meant the default: refused, not ignored
    assertThatThrownBy(() -> parse("models:\n  x:\n    cluster_by: []\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage(
            "heap.yml: models.x.cluster_by: an empty list; name at least one column, or leave the key out for the model's default"
                + " (its user column), or write cluster_by: none for no clustering key");
    assertThat(parse("models:\n  x:\n    cluster_by: none\n").physicalOptions("x"))
        .isEqualTo(PhysicalOptions.DEFAULTS.withoutClustering())
        .extracting(PhysicalOptions::unclustered).isEqualTo(true);
    // a column named none is a list of one
    assertThat(parse("models:\n  x:\n    cluster_by: [none]\n").physicalOptions("x").clusterBy()).containsExactly("none");
    assertThatThrownBy(() -> parse("models:\n  x:\n    sort_key: []\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("heap.yml: models.x.sort_key: an empty list; ");
    assertThatThrownBy(() -> parse("incremental:\n  lookback: 2\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("heap.yml: incremental.lookback: unknown key");
  }
}
