package io.heapsdk.models;

import static io.heapsdk.testing.Rows.at;
import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigLoader;
import io.heapsdk.testing.H2Db;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sessions fact on H2: funnel step counts, conversion counts (conversion events need not be funnel
 * steps), lookback / lookforward columns, sequence numbers, and every branch of the channel rules.
 */
class SessionsFactTest {
  private static final String FACT = "stg_heap_sessions_inc_fct";

  @Test
  void funnelStepAndConversionCountsPerSession() {
    HeapConfig config =
        HeapConfig.builder()
            .funnelEvents(List.of("a", "b", "c"))
            .conversionEvents(List.of("b", "z"))
            .conversionWindowDays(7)
            .build();
    try (H2Db db = H2Db.create(config)) {
      db.insert(
          "sessions",
          session(100, 10, "2024-01-10T10:00:00", null, null, null, null),
          session(101, 10, "2024-01-09T10:00:00", null, null, null, null),
          session(102, 20, "2024-01-10T10:00:00", null, null, null, null));
      db.insert(
          "all_events",
          event(1, 10, 100, "2024-01-10T10:00:00", "a"),
          event(2, 10, 100, "2024-01-10T10:01:00", "b"),
          event(3, 10, 100, "2024-01-10T10:02:00", "b"),
          event(4, 10, 100, "2024-01-10T10:03:00", "z"),
          event(5, 10, 100, "2024-01-10T10:04:00", "c"),
          event(6, 20, 102, "2024-01-10T10:00:00", "pageviews"));
      db.buildStandard();
      List<Map<String, Object>> rows = db.table(FACT, "heap_session_id");
      assertThat(rows)
          .extracting(
              r -> r.get("heap_session_id"),
              r -> r.get("heap_session_sequence_num"),
              r -> r.get("heap_session_funnel_step_1_cnt"),
              r -> r.get("heap_session_funnel_step_2_cnt"),
              r -> r.get("heap_session_funnel_step_3_cnt"),
              r -> r.get("heap_session_conversion_cnt"),
              r -> r.get("heap_session_is_conversion"))
          .containsExactly(
              // two b and one z: three conversions; session 101 started first, so it is the user's first
              tuple(100L, 2L, 1L, 2L, 1L, 3L, true),
              tuple(101L, 1L, 0L, 0L, 0L, 0L, false),
              tuple(102L, 1L, 0L, 0L, 0L, 0L, false));
      assertThat(rows.get(0).get("heap_session_conversion_lookback_7d")).isEqualTo(at("2024-01-03T10:00:00"));
      assertThat(rows.get(0).get("heap_session_conversion_lookforward_7d")).isEqualTo(at("2024-01-17T10:00:00"));
    }
  }

  @Test
  void everyDefaultChannelRule() {
    HeapConfig config = HeapConfig.builder().ownDomain("example.com").build();
    try (H2Db db = H2Db.create(config)) {
      db.insert(
          "sessions",
          // session(id, user, time, referrer, landing page query, utm_source, utm_medium)
          session(1, 1, "2024-01-01T10:00:00", "https://m.facebook.com/", null, "FaceBook", "CPC"),
          session(2, 1, "2024-01-01T11:00:00", "https://www.bing.com/", null, "Bing", "cpc"),
          session(3, 1, "2024-01-01T12:00:00", "https://www.google.com/", null, "google", "cpc"),
          session(4, 1, "2024-01-01T13:00:00", "https://www.Google.com/", "x=1&GCLID=abc", null, null),
          session(5, 1, "2024-01-01T14:00:00", null, null, "newsletter", "email"),
          session(6, 1, "2024-01-01T15:00:00", "https://duckduckgo.com/", null, null, null),
          session(7, 1, "2024-01-01T16:00:00", "https://search.yahoo.com/", null, null, null),
          session(8, 1, "2024-01-01T17:00:00", "https://www.google.com/", null, "google", "organic"),
          session(9, 1, "2024-01-01T18:00:00", "https://blog.EXAMPLE.com/post", null, null, null),
          session(10, 1, "2024-01-01T19:00:00", "https://twitter.com/", null, null, null),
          // facebook but not cpc, with a google referrer and gclid: the paid google rule catches it
          session(11, 1, "2024-01-01T20:00:00", "https://google.com/", "gclid=1", "facebook", "social"),
          // both facebook and google cpc: the first matching rule wins
          session(12, 1, "2024-01-01T21:00:00", "https://google.com/", null, "facebook", "cpc"));
      db.buildStandard();
      assertThat(db.table(FACT, "heap_session_id"))
          .extracting(r -> r.get("heap_session_id"), r -> r.get("heap_session_defined_channel_attribution"))
          .containsExactly(
              tuple(1L, "Facebook Paid"),
              tuple(2L, "Paid Bing Search"),
              tuple(3L, "Paid Google Search"),
              tuple(4L, "Paid Google Search"),
              tuple(5L, "Direct"),
              tuple(6L, "Organic Search"),
              tuple(7L, "Organic Search"),
              tuple(8L, "Unattributed"),
              tuple(9L, "example.com"),
              tuple(10L, "Unattributed"),
              tuple(11L, "Paid Google Search"),
              tuple(12L, "Facebook Paid"));
    }
  }

  @Test
  void withoutOwnDomainAReferralFromItIsUnattributed() {
    try (H2Db db = H2Db.create(HeapConfig.defaults())) {
      db.insert("sessions", session(1, 1, "2024-01-01T10:00:00", "https://example.com/", null, null, null));
      db.buildStandard();
      assertThat(db.table(FACT)).extracting(r -> r.get("heap_session_defined_channel_attribution")).containsExactly("Unattributed");
    }
  }

  @Test
  void rulesFromYamlReplaceTheDefaults() {
    HeapConfig config =
        HeapConfigLoader.parse(
            String.join(
                "\n",
                "channels:",
                "  fallback: Other",
                "  rules:",
                "    - channel: Email",
                "      when: {field: utm_medium, equals: email}",
                "    - channel: Partners",
                "      when:",
                "        any:",
                "          - {field: referrer, contains: partner}",
                "          - all:",
                "              - {field: utm_source, is_not_null: true}",
                "              - {field: utm_campaign, is_null: true}"),
            "rules.yml");
    try (H2Db db = H2Db.create(config)) {
      Object[] noCampaign = session(4, 1, "2024-01-01T13:00:00", "https://x.com", null, "x", "y");
      noCampaign[17] = null; // utm_campaign
      db.insert(
          "sessions",
          session(1, 1, "2024-01-01T10:00:00", null, null, "news", "EMAIL"),
          session(2, 1, "2024-01-01T11:00:00", "https://PARTNER.io", null, null, null),
          session(3, 1, "2024-01-01T12:00:00", null, null, null, null),
          noCampaign);
      db.buildStandard();
      assertThat(db.table(FACT, "heap_session_id"))
          .extracting(r -> r.get("heap_session_defined_channel_attribution"))
          .containsExactly("Email", "Partners", "Other", "Partners");
    }
  }
}
