package io.heapsdk.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config keys a run records, and how two records compare; every expected text written by hand. */
class ModelSettingsTest {

  @Test
  void theDefaultsAreWrittenOutAndKeysWithoutADefaultLeftOut() {
    assertThat(ModelSettings.of(HeapConfig.defaults()))
        .containsExactly(
            Map.entry("source.schema", "\"main_production\""),
            Map.entry("target.schema", "\"heap_models\""),
            Map.entry("funnel_events", "[]"),
            Map.entry("conversion_events", "[]"),
            Map.entry("sessionization.timeout_minutes", "30"),
            Map.entry("sessions.conversion_window_days", "14"),
            Map.entry("identity.resolve_migrations", "false"),
            Map.entry("channels.fallback", "\"Unattributed\""));
  }

  @Test
  void everyKeyThatShapesAModelByItsYamlName() {
    HeapConfig c =
        HeapConfig.builder()
            .sourceDatabase("raw")
            .putSourceTables("pageviews", "page_views")
            .putSourceColumns("pageviews.previous_page", "heap_previous_page")
            .pageviewProperties(List.of(new PassThroughColumn("bucket", ColumnType.BIGINT)))
            .funnelEvents(List.of("просмотр", "購入"))
            .ownDomain("example.com")
            .channelRules(List.of(new ChannelRule("Email", Condition.equalTo("utm_medium", "Email"))))
            .putPhysicalOptions("stg_heap_events_all_inc_fct", new PhysicalOptions(Optional.empty(), List.of(), Optional.of("heap_user_id"), List.of()).withoutClustering())
            // not a model's shape: not recorded
            .lateArrivalLookbackDays(5)
            .reconcile(true)
            .countRowsBehindMark(true)
            .freshnessWarnAfterHours(2)
            .build();
    Map<String, String> s = ModelSettings.of(c);
    assertThat(s)
        .containsEntry("source.database", "\"raw\"")
        .containsEntry("source.tables.pageviews", "\"page_views\"")
        .containsEntry("source.columns.pageviews.previous_page", "\"heap_previous_page\"")
        .containsEntry("source.pageview_properties", "[\"bucket bigint\"]")
        .containsEntry("funnel_events", "[\"просмотр\",\"購入\"]")
        .containsEntry("channels.own_domain", "\"example.com\"")
        // equals is case-insensitive: the config keeps it as it compares it
        .containsEntry("channels.rules", "[{\"channel\":\"Email\",\"when\":{\"field\":\"utm_medium\",\"equals\":\"email\"}}]")
        .containsEntry("models.stg_heap_events_all_inc_fct.cluster_by", "[\"none\"]")
        .containsEntry("models.stg_heap_events_all_inc_fct.dist_key", "\"heap_user_id\"")
        .doesNotContainKeys(
            "incremental.late_arrival_lookback_days", "incremental.reconcile", "incremental.count_rows_behind_mark",
            "source.freshness.warn_after_hours");
    // written and read back whole
    assertThat(ModelSettings.read(ModelSettings.write(s).orElseThrow())).contains(s);
  }

  @Test
  void changesNameEachKeyWithBothValues() {
    Map<String, String> then = ModelSettings.of(HeapConfig.builder().conversionEvents(List.of("purchase")).ownDomain("a.com").build());
    Map<String, String> now =
        ModelSettings.of(HeapConfig.builder().conversionEvents(List.of("purchase", "sign_up")).sessionTimeoutMinutes(45).build());
    assertThat(ModelSettings.changes(then, now))
        .containsExactly(
            "conversion_events [\"purchase\"] -> [\"purchase\",\"sign_up\"]",
            "sessionization.timeout_minutes 30 -> 45",
            "channels.own_domain \"a.com\" -> (not set)");
    assertThat(ModelSettings.changes(now, now)).isEmpty();
    // a key set to its default value is no change
    assertThat(ModelSettings.changes(ModelSettings.of(HeapConfig.defaults()), ModelSettings.of(HeapConfig.builder().sessionTimeoutMinutes(30).build())))
        .isEmpty();
  }

  @Test
  void aRecordTooLongForRedshiftKeepsItsLongestValuesAsADigest() {
    // 3,000 distinct events of 7 Cyrillic letters and a number (about 21 bytes of UTF-8 each with quotes
    // and comma): about 63 KB in one value, twice: over the 60,000 bytes a record may take
    List<String> events = new java.util.ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      events.add("событие" + i);
    }
    HeapConfig c = HeapConfig.builder().funnelEvents(events).conversionEvents(events).build();
    Map<String, String> s = ModelSettings.of(c);
    String written = ModelSettings.write(s).orElseThrow();
    assertThat(written.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(60_000);
    Map<String, String> read = ModelSettings.read(written).orElseThrow();
    // both long lists became digests (one alone still exceeds the limit); the short values stayed whole
    assertThat(read.get("funnel_events")).startsWith("sha-256 ").endsWith(" (" + String.format(java.util.Locale.ROOT, "%,d", s.get("funnel_events").length()) + " characters)");
    assertThat(read.get("conversion_events")).startsWith("sha-256 ");
    assertThat(read.get("sessionization.timeout_minutes")).isEqualTo("30");
    // the same lists: no change; one event more: a change, told by length
    assertThat(ModelSettings.changes(read, s)).isEmpty();
    List<String> more = new java.util.ArrayList<>(events);
    more.add("ещё");
    Map<String, String> now = ModelSettings.of(HeapConfig.builder().funnelEvents(more).conversionEvents(events).build());
    assertThat(ModelSettings.changes(read, now))
        .containsExactly(
            "funnel_events changed (" + String.format(java.util.Locale.ROOT, "%,d", s.get("funnel_events").length()) + " -> "
                + String.format(java.util.Locale.ROOT, "%,d", now.get("funnel_events").length()) + " characters)");
  }

  @Test
  void aTextThatIsNoRecordReadsAsNone() {
    assertThat(ModelSettings.read("not json")).isEmpty();
    assertThat(ModelSettings.read("[1]")).isEmpty();
    assertThat(ModelSettings.read("{\"a\":\"1\"}")).contains(new LinkedHashMap<>(Map.of("a", "1")));
  }
}
