package io.heapsdk.config;

import static io.heapsdk.config.Condition.all;
import static io.heapsdk.config.Condition.any;
import static io.heapsdk.config.Condition.contains;
import static io.heapsdk.config.Condition.equalTo;
import static io.heapsdk.config.Condition.isNotNull;
import static io.heapsdk.config.Condition.isNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The builder API: same checks as YAML (attributed to {@code HeapConfig.builder()}), same result. */
class HeapConfigBuilderTest {

  private static final String BUILDER = "HeapConfig.builder()";

  private static HeapConfigException buildError(Supplier<HeapConfig> build) {
    try {
      HeapConfig c = build.get();
      throw new AssertionError("expected a HeapConfigException, got " + c);
    } catch (HeapConfigException e) {
      assertThat(e.origin()).isEqualTo(BUILDER);
      assertThat(e.getMessage()).isEqualTo(BUILDER + ": " + e.keyPath() + ": " + e.problem());
      return e;
    }
  }

  private static void assertBuildError(
      Supplier<HeapConfig> build, String keyPath, String... problemMentions) {
    HeapConfigException e = buildError(build);
    assertThat(e.keyPath()).as("key path of: %s", e.getMessage()).isEqualTo(keyPath);
    assertThat(e.problem()).as("problem of: %s", e.getMessage()).contains(problemMentions);
  }

  @Test
  void builderOriginConstant() {
    assertThat(HeapConfig.BUILDER_ORIGIN).isEqualTo(BUILDER);
  }

  @Test
  void defaults() {
    HeapConfig c = HeapConfig.builder().build();
    assertThat(c.sourceSchema()).isEqualTo("main_production");
    assertThat(c.targetSchema()).isEqualTo("heap_models");
    assertThat(c.sessionTimeoutMinutes()).isEqualTo(30);
    assertThat(c.conversionWindowDays()).isEqualTo(14);
    assertThat(c.fallbackChannel()).isEqualTo("Unattributed");
    assertThat(c.effectiveChannelRules()).containsExactlyElementsOf(DefaultChannelRules.withoutOwnDomain());
    assertThat(c).isEqualTo(HeapConfig.defaults());
  }

  // ---------------------------------------------------------------------------------------------
  // the same checks as the YAML loader, with the builder as origin

  /** own_domain beside configured rules reads nothing: said, not refused (a config that worked goes on). */
  @Test
  void ownDomainBesideConfiguredRulesIsReportedAsIgnored() {
    assertThat(HeapConfig.builder().ownDomain("example.com").build().ignoredSettings()).isEmpty();
    assertThat(HeapConfig.builder().addChannelRules(new ChannelRule("Direct", isNull("referrer"))).build().ignoredSettings()).isEmpty();
    HeapConfig both =
        HeapConfig.builder().ownDomain("example.com").addChannelRules(new ChannelRule("Direct", isNull("referrer"))).build();
    assertThat(both.ignoredSettings())
        .containsExactly(
            "channels.own_domain (example.com) is not used: channels.rules replaces the default rules, the only ones that read"
                + " it; to keep its channel, add a rule such as {channel: example.com, when: {field: referrer, contains:"
                + " example.com}}");
    // and the rules in force are the configured ones: own_domain's default rule is not among them
    assertThat(both.effectiveChannelRules()).containsExactly(new ChannelRule("Direct", isNull("referrer")));
    // the advice followed (the rule it suggests, in any case, here inside an any): the warning says so
    HeapConfig followed =
        HeapConfig.builder()
            .from(both)
            .addChannelRules(new ChannelRule("Own site", Condition.any(isNull("utm_source"), Condition.contains("referrer", "Example.com"))))
            .build();
    assertThat(followed.ignoredSettings())
        .containsExactly(
            "channels.own_domain (example.com) is not used: channels.rules replaces the default rules, the only ones that read"
                + " it, and channels.rules[1] (Own site) already looks for it in the referrer; remove channels.own_domain");
  }

  @Test
  void negativeTimeout() {
    assertBuildError(
        () -> HeapConfig.builder().sessionTimeoutMinutes(-5).build(),
        "sessionization.timeout_minutes",
        "positive",
        "-5");
  }

  @Test
  void zeroTimeout() {
    assertBuildError(
        () -> HeapConfig.builder().sessionTimeoutMinutes(0).build(), "sessionization.timeout_minutes", "positive");
  }

  @Test
  void zeroConversionWindow() {
    assertBuildError(
        () -> HeapConfig.builder().conversionWindowDays(0).build(), "sessions.conversion_window_days", "positive");
  }

  @Test
  void negativeConversionWindow() {
    assertBuildError(
        () -> HeapConfig.builder().conversionWindowDays(-14).build(),
        "sessions.conversion_window_days",
        "positive",
        "-14");
  }

  @Test
  void emptyFunnelStep() {
    assertBuildError(
        () -> HeapConfig.builder().addFunnelEvents("signup", "", "purchase").build(), "funnel_events[1]", "empty");
  }

  @Test
  void duplicatedFunnelStep() {
    HeapConfigException e =
        buildError(() -> HeapConfig.builder().addFunnelEvents("signup", "add_to_cart", "signup").build());
    assertThat(e.keyPath()).isEqualTo("funnel_events[2]");
    assertThat(e.problem()).contains("signup", "funnel_events[0]");
  }

  @Test
  void duplicatedConversionEvent() {
    assertBuildError(
        () -> HeapConfig.builder().addConversionEvents("purchase", "purchase").build(),
        "conversion_events[1]",
        "conversion_events[0]");
  }

  @Test
  void blankSchemas() {
    assertBuildError(() -> HeapConfig.builder().sourceSchema(" ").build(), "source.schema", "non-empty");
    assertBuildError(() -> HeapConfig.builder().targetSchema("").build(), "target.schema", "non-empty");
    assertBuildError(() -> HeapConfig.builder().sourceDatabase("").build(), "source.database", "non-empty");
    assertBuildError(() -> HeapConfig.builder().targetDatabase(" ").build(), "target.database", "non-empty");
  }

  @Test
  void unknownSourceTable() {
    assertBuildError(
        () -> HeapConfig.builder().putSourceTables("pageview", "pv").build(),
        "source.tables.pageview",
        "pageviews");
  }

  @Test
  void blankPhysicalTableName() {
    assertBuildError(
        () -> HeapConfig.builder().putSourceTables("pageviews", "").build(), "source.tables.pageviews", "non-empty");
  }

  @Test
  void unknownSourceColumn() {
    assertBuildError(
        () -> HeapConfig.builder().putSourceColumns("sessions.utm_sorce", "x").build(),
        "source.columns.sessions.utm_sorce",
        "utm_source");
  }

  @Test
  void sourceColumnKeyWithoutTable() {
    HeapConfigException e = buildError(() -> HeapConfig.builder().putSourceColumns("time", "t").build());
    assertThat(e.keyPath()).isEqualTo("source.columns.time");
    assertThat(e.problem()).contains("<table>.<column>");
  }

  @Test
  void passThroughClashingWithBuiltInPageviewColumn() {
    assertBuildError(
        () -> HeapConfig.builder().addPageviewProperties(PassThroughColumn.varchar("path")).build(),
        "source.pageview_properties[0]",
        "\"path\"");
  }

  @Test
  void channelRuleWithUnknownField() {
    assertBuildError(
        () -> HeapConfig.builder().addChannelRules(new ChannelRule("Paid", contains("medium", "cpc"))).build(),
        "channels.rules[0].when.field",
        "medium",
        "utm_medium");
  }

  @Test
  void nestedChannelRuleWithUnknownField() {
    assertBuildError(
        () ->
            HeapConfig.builder()
                .addChannelRules(new ChannelRule("Direct", isNull("referrer")))
                .addChannelRules(
                    new ChannelRule("Paid", all(isNotNull("referrer"), any(equalTo("source", "google")))))
                .build(),
        "channels.rules[1].when.all[1].any[0].field",
        "source");
  }

  @Test
  void emptyAnyInChannelRule() {
    assertBuildError(
        () -> HeapConfig.builder().addChannelRules(new ChannelRule("X", any())).build(),
        "channels.rules[0].when.any",
        "at least one");
  }

  @Test
  void blankChannelName() {
    assertBuildError(
        () -> HeapConfig.builder().addChannelRules(new ChannelRule(" ", isNull("referrer"))).build(),
        "channels.rules[0].channel",
        "non-empty");
  }

  @Test
  void blankOwnDomainAndFallback() {
    assertBuildError(() -> HeapConfig.builder().ownDomain("").build(), "channels.own_domain", "non-empty");
    assertBuildError(() -> HeapConfig.builder().fallbackChannel(" ").build(), "channels.fallback", "non-empty");
  }

  @Test
  void modifiedCopiesAreCheckedToo() {
    HeapConfig valid = HeapConfig.builder().build();
    assertBuildError(() -> HeapConfig.builder().from(valid).sessionTimeoutMinutes(-1).build(), "sessionization.timeout_minutes", "positive");
  }

  // ---------------------------------------------------------------------------------------------
  // builder and YAML: the same settings give equal configs

  @Test
  void builderAndYamlGiveEqualConfigs() {
    HeapConfig built =
        HeapConfig.builder()
            .sourceDatabase("raw_db")
            .sourceSchema("heap_prod")
            .putSourceTables("pageviews", "pageviews_synced")
            .putSourceTables("all_events", "events_all")
            .putSourceColumns("pageviews.previous_page", "heap_previous_page")
            .putSourceColumns("pageviews.time", "event_time")
            .putSourceColumns("sessions.utm_source", "source_utm")
            .addPageviewProperties(PassThroughColumn.varchar("gtm_campaign"))
            .addPageviewProperties(new PassThroughColumn("gtm_revenue", ColumnType.DOUBLE))
            .addPageviewProperties(new PassThroughColumn("is_logged_in", ColumnType.BOOLEAN))
            .targetDatabase("analytics")
            .targetSchema("heap_marts")
            .addFunnelEvents("view_product", "add_to_cart", "checkout")
            .addConversionEvents("checkout", "subscribe")
            .sessionTimeoutMinutes(5)
            .conversionWindowDays(7)
            .ownDomain("example.com")
            .fallbackChannel("Other")
            .addChannelRules(
                new ChannelRule(
                    "Paid Social",
                    all(
                        contains("utm_medium", "CPC"),
                        any(equalTo("utm_source", "Facebook"), equalTo("utm_source", "instagram")))))
            .addChannelRules(new ChannelRule("Email", equalTo("utm_medium", "email")))
            .addChannelRules(new ChannelRule("Direct", isNull("referrer")))
            .addChannelRules(new ChannelRule("Referral", isNotNull("referrer")))
            .build();
    HeapConfig parsed = HeapConfigLoader.parse(HeapConfigLoaderTest.FULL_YAML, "heap.yml");
    assertThat(parsed).isEqualTo(built);
    assertThat(parsed.hashCode()).isEqualTo(built.hashCode());
    assertThat(parsed.catalog().tables()).isEqualTo(built.catalog().tables());
    assertThat(parsed.effectiveChannelRules()).isEqualTo(built.effectiveChannelRules());
  }

  @Test
  void builderAndYamlGiveEqualConfigsForASmallFile() {
    HeapConfig built =
        HeapConfig.builder().addFunnelEvents("a", "b").sessionTimeoutMinutes(10).ownDomain("x.io").build();
    HeapConfig parsed =
        HeapConfigLoader.parse(
            "funnel_events: [a, b]\nsessionization: {timeout_minutes: 10}\nchannels: {own_domain: x.io}\n", "t.yml");
    assertThat(parsed).isEqualTo(built);
  }

  // ---------------------------------------------------------------------------------------------
  // catalog() and effectiveChannelRules()

  @Test
  void defaultCatalogUsesHeapNames() {
    SourceCatalog catalog = HeapConfig.defaults().catalog();
    assertThat(catalog.tableNames()).containsExactly("users", "sessions", "pageviews", "all_events", "user_migrations");
    for (SourceTable t : catalog.tables()) {
      assertThat(t.physicalName()).isEqualTo(t.name());
      for (SourceColumn c : t.columns()) {
        assertThat(c.physicalName()).isEqualTo(c.name());
      }
    }
    // SPEC §1: the columns the SDK uses, per table
    assertThat(catalog.table("pageviews").columnNames())
        .containsExactly(
            "event_id", "user_id", "session_id", "time", "domain", "path", "query", "hash", "title", "previous_page");
    assertThat(catalog.table("all_events").columnNames())
        .containsExactly("event_id", "user_id", "session_id", "time", "event_table_name");
    assertThat(catalog.table("user_migrations").columnNames()).containsExactly("from_user_id", "to_user_id", "time");
    assertThat(catalog.table("users").columnNames()).contains("user_id", "joindate", "last_modified", "identity");
    assertThat(catalog.table("sessions").columnNames())
        .containsExactlyInAnyOrder(
            "session_id", "user_id", "time", "library", "platform", "device_type", "device", "country", "region",
            "city", "ip", "referrer", "landing_page", "landing_page_query", "landing_page_hash", "browser",
            "utm_source", "utm_campaign", "utm_medium", "utm_term", "utm_content");
  }

  @Test
  void catalogAppliesTableAndColumnRenamesAndPassThroughColumns() {
    HeapConfig c =
        HeapConfig.builder()
            .putSourceTables("pageviews", "pageviews_synced")
            .putSourceTables("sessions", "sessions_v2")
            .putSourceColumns("pageviews.previous_page", "heap_previous_page")
            .putSourceColumns("pageviews.time", "event_time")
            .putSourceColumns("sessions.utm_source", "source_utm")
            .addPageviewProperties(PassThroughColumn.varchar("gtm_campaign"))
            .addPageviewProperties(new PassThroughColumn("gtm_revenue", ColumnType.DOUBLE))
            .build();
    SourceCatalog catalog = c.catalog();

    SourceTable pageviews = catalog.table("pageviews");
    assertThat(pageviews.physicalName()).isEqualTo("pageviews_synced");
    assertThat(pageviews.column("previous_page").physicalName()).isEqualTo("heap_previous_page");
    assertThat(pageviews.column("time").physicalName()).isEqualTo("event_time");
    assertThat(pageviews.column("path").physicalName()).isEqualTo("path");
    // built-in columns first, then the pass-through ones in configured order
    assertThat(pageviews.columnNames())
        .containsExactly(
            "event_id", "user_id", "session_id", "time", "domain", "path", "query", "hash", "title", "previous_page",
            "gtm_campaign", "gtm_revenue");
    assertThat(pageviews.column("gtm_campaign").physicalName()).isEqualTo("gtm_campaign");
    assertThat(pageviews.column("gtm_campaign").type()).isEqualTo(ColumnType.VARCHAR);
    assertThat(pageviews.column("gtm_revenue").type()).isEqualTo(ColumnType.DOUBLE);
    assertThat(pageviews.column("gtm_revenue").tests()).isEmpty();

    SourceTable sessions = catalog.table("sessions");
    assertThat(sessions.physicalName()).isEqualTo("sessions_v2");
    assertThat(sessions.column("utm_source").physicalName()).isEqualTo("source_utm");
    assertThat(sessions.column("utm_medium").physicalName()).isEqualTo("utm_medium");
    assertThat(sessions.columnNames()).doesNotContain("gtm_campaign");

    // untouched tables keep Heap's names; pass-through columns go to pageviews only
    assertThat(catalog.table("all_events").physicalName()).isEqualTo("all_events");
    assertThat(catalog.table("all_events").column("time").physicalName()).isEqualTo("time");
    assertThat(catalog.table("all_events").columnNames()).doesNotContain("gtm_campaign");
    assertThat(catalog.table("users").physicalName()).isEqualTo("users");

    // the default catalog is not modified
    assertThat(SourceCatalog.heapConnect().table("pageviews").physicalName()).isEqualTo("pageviews");
    assertThat(SourceCatalog.heapConnect().table("pageviews").columnNames()).doesNotContain("gtm_campaign");
  }

  @Test
  void catalogCarriesSourceTestsAndFreshnessOfSpec() {
    SourceCatalog catalog = HeapConfig.defaults().catalog();
    // SPEC §1: event_id of pageviews and all_events is unique
    assertThat(catalog.table("pageviews").column("event_id").tests()).contains(io.heapsdk.source.ColumnTest.UNIQUE);
    assertThat(catalog.table("all_events").column("event_id").tests()).contains(io.heapsdk.source.ColumnTest.UNIQUE);
    // session_id of sessions is NOT guaranteed unique
    assertThat(catalog.table("sessions").column("session_id").tests()).doesNotContain(io.heapsdk.source.ColumnTest.UNIQUE);
    // freshness is judged on the table's time column, warning after one day
    for (String t : List.of("sessions", "pageviews", "all_events")) {
      assertThat(catalog.table(t).freshness()).hasValueSatisfying(f -> {
        assertThat(f.timeColumn()).isEqualTo("time");
        assertThat(f.warnAfter()).isEqualTo(java.time.Duration.ofDays(1));
      });
    }
  }

  @Test
  void effectiveChannelRulesAreTheDefaultsWithoutOwnDomain() {
    assertThat(HeapConfig.builder().build().effectiveChannelRules())
        .containsExactlyElementsOf(DefaultChannelRules.withoutOwnDomain())
        .extracting(ChannelRule::channel)
        .containsExactly("Facebook Paid", "Paid Bing Search", "Paid Google Search", "Direct", "Organic Search");
  }

  @Test
  void effectiveChannelRulesAddTheOwnDomainRuleLast() {
    HeapConfig c = HeapConfig.builder().ownDomain("example.com").build();
    assertThat(c.effectiveChannelRules()).containsExactlyElementsOf(DefaultChannelRules.withOwnDomain("example.com"));
    assertThat(c.effectiveChannelRules().get(5)).isEqualTo(new ChannelRule("example.com", contains("referrer", "example.com")));
  }

  @Test
  void configuredRulesReplaceTheDefaults() {
    List<ChannelRule> mine =
        List.of(
            new ChannelRule("Newsletter", equalTo("utm_medium", "email")),
            new ChannelRule("Everything else with a referrer", isNotNull("referrer")));
    HeapConfig c = HeapConfig.builder().ownDomain("example.com").channelRules(mine).build();
    assertThat(c.effectiveChannelRules()).containsExactlyElementsOf(mine);
  }

  @Test
  void configuredRulesCanExtendTheDefaults() {
    List<ChannelRule> extended = new java.util.ArrayList<>(DefaultChannelRules.withOwnDomain("example.com"));
    extended.add(new ChannelRule("Social", any(contains("referrer", "facebook"), contains("referrer", "t.co"))));
    HeapConfig c =
        HeapConfig.builder()
            .addAllChannelRules(ChannelRule.defaults(java.util.Optional.of("example.com")))
            .addChannelRules(extended.get(extended.size() - 1))
            .build();
    assertThat(c.effectiveChannelRules()).containsExactlyElementsOf(extended);
  }
}
