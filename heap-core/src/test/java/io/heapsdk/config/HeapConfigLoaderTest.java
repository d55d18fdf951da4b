package io.heapsdk.config;

import static io.heapsdk.config.Condition.all;
import static io.heapsdk.config.Condition.any;
import static io.heapsdk.config.Condition.contains;
import static io.heapsdk.config.Condition.equalTo;
import static io.heapsdk.config.Condition.isNotNull;
import static io.heapsdk.config.Condition.isNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading {@code heap.yml}: every key, the defaults, and an error naming file, key and problem for each mistake. */
class HeapConfigLoaderTest {

  @TempDir Path dir;

  /** Every key the loader knows, each with a non-default value. */
  static final String FULL_YAML =
      String.join(
          "\n",
          "# every key of heap.yml",
          "source:",
          "  database: raw_db",
          "  schema: heap_prod",
          "  tables:",
          "    pageviews: pageviews_synced",
          "    all_events: events_all",
          "  columns:",
          "    pageviews:",
          "      previous_page: heap_previous_page",
          "      time: event_time",
          "    sessions:",
          "      utm_source: source_utm",
          "  pageview_properties:",
          "    - gtm_campaign",
          "    - name: gtm_revenue",
          "      type: double",
          "    - name: is_logged_in",
          "      type: boolean",
          "target:",
          "  database: analytics",
          "  schema: heap_marts",
          "funnel_events:",
          "  - view_product",
          "  - add_to_cart",
          "  - checkout",
          "conversion_events: [checkout, subscribe]",
          "sessionization:",
          "  timeout_minutes: 5",
          "sessions:",
          "  conversion_window_days: 7",
          "channels:",
          "  own_domain: example.com",
          "  fallback: Other",
          "  rules:",
          "    - channel: Paid Social",
          "      when:",
          "        all:",
          "          - field: utm_medium",
          "            contains: CPC",
          "          - any:",
          "              - field: utm_source",
          "                equals: Facebook",
          "              - field: utm_source",
          "                equals: instagram",
          "    - channel: Email",
          "      when:",
          "        field: utm_medium",
          "        equals: email",
          "    - channel: Direct",
          "      when:",
          "        field: referrer",
          "        is_null: true",
          "    - channel: Referral",
          "      when:",
          "        field: referrer",
          "        is_not_null: true",
          "");

  private Path write(String name, String yaml) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void fullFileParsesEveryKey() throws IOException {
    HeapConfig c = HeapConfigLoader.load(write("heap.yml", FULL_YAML));

    assertThat(c.sourceDatabase()).contains("raw_db");
    assertThat(c.sourceSchema()).isEqualTo("heap_prod");
    assertThat(c.sourceTables())
        .containsExactlyInAnyOrderEntriesOf(Map.of("pageviews", "pageviews_synced", "all_events", "events_all"));
    assertThat(c.sourceColumns())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "pageviews.previous_page", "heap_previous_page",
                "pageviews.time", "event_time",
                "sessions.utm_source", "source_utm"));
    assertThat(c.pageviewProperties())
        .containsExactly(
            new PassThroughColumn("gtm_campaign", ColumnType.VARCHAR),
            new PassThroughColumn("gtm_revenue", ColumnType.DOUBLE),
            new PassThroughColumn("is_logged_in", ColumnType.BOOLEAN));
    assertThat(c.targetDatabase()).contains("analytics");
    assertThat(c.targetSchema()).isEqualTo("heap_marts");
    assertThat(c.funnelEvents()).containsExactly("view_product", "add_to_cart", "checkout");
    assertThat(c.conversionEvents()).containsExactly("checkout", "subscribe");
    assertThat(c.sessionTimeoutMinutes()).isEqualTo(5);
    assertThat(c.conversionWindowDays()).isEqualTo(7);
    assertThat(c.ownDomain()).contains("example.com");
    assertThat(c.fallbackChannel()).isEqualTo("Other");
    List<ChannelRule> expectedRules =
        List.of(
            new ChannelRule(
                "Paid Social",
                all(
                    contains("utm_medium", "cpc"),
                    any(equalTo("utm_source", "facebook"), equalTo("utm_source", "instagram")))),
            new ChannelRule("Email", equalTo("utm_medium", "email")),
            new ChannelRule("Direct", isNull("referrer")),
            new ChannelRule("Referral", isNotNull("referrer")));
    assertThat(c.channelRules()).containsExactlyElementsOf(expectedRules);
    // configured rules replace the defaults entirely: no own-domain rule is added to them
    assertThat(c.effectiveChannelRules()).containsExactlyElementsOf(expectedRules);
  }

  @Test
  void ruleValuesAreMatchedCaseInsensitively() throws IOException {
    HeapConfig c = HeapConfigLoader.load(write("heap.yml", FULL_YAML));
    Condition.All paidSocial = (Condition.All) c.channelRules().get(0).when();
    // "CPC" and "Facebook" in the file: SPEC §3 says matching is case-insensitive
    assertThat(((Condition.Contains) paidSocial.conditions().get(0)).value()).isEqualTo("cpc");
    Condition.Any sources = (Condition.Any) paidSocial.conditions().get(1);
    assertThat(((Condition.EqualTo) sources.conditions().get(0)).value()).isEqualTo("facebook");
  }

  @Test
  void parseOfTextEqualsLoadOfFile() throws IOException {
    assertThat(HeapConfigLoader.parse(FULL_YAML, "inline.yml"))
        .isEqualTo(HeapConfigLoader.load(write("heap.yml", FULL_YAML)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "# only a comment\n", "\n\n", "---\n"})
  void emptyFileGivesDefaults(String yaml) throws IOException {
    HeapConfig c = HeapConfigLoader.load(write("empty.yml", yaml));

    assertThat(c.sourceDatabase()).isEmpty();
    assertThat(c.sourceSchema()).isEqualTo("main_production");
    assertThat(c.sourceTables()).isEmpty();
    assertThat(c.sourceColumns()).isEmpty();
    assertThat(c.pageviewProperties()).isEmpty();
    assertThat(c.targetDatabase()).isEmpty();
    assertThat(c.targetSchema()).isEqualTo("heap_models");
    assertThat(c.funnelEvents()).isEmpty();
    assertThat(c.conversionEvents()).isEmpty();
    assertThat(c.sessionTimeoutMinutes()).isEqualTo(30);
    assertThat(c.conversionWindowDays()).isEqualTo(14);
    assertThat(c.ownDomain()).isEmpty();
    assertThat(c.channelRules()).isEmpty();
    assertThat(c.fallbackChannel()).isEqualTo("Unattributed");
    // SPEC §3 rules 1-5; rule 6 (own domain) only when a domain is configured
    assertThat(c.effectiveChannelRules()).containsExactlyElementsOf(DefaultChannelRules.withoutOwnDomain());
  }

  @Test
  void ownDomainAddsTheOwnDomainRuleToTheDefaults() throws IOException {
    HeapConfig c = HeapConfigLoader.load(write("heap.yml", "channels:\n  own_domain: shop.example.org\n"));
    assertThat(c.channelRules()).isEmpty();
    assertThat(c.effectiveChannelRules()).containsExactlyElementsOf(DefaultChannelRules.withOwnDomain("shop.example.org"));
    assertThat(c.effectiveChannelRules()).last().extracting(ChannelRule::channel).isEqualTo("shop.example.org");
  }

  @Test
  void numbersAreAcceptedWhereANameIsExpected() throws IOException {
    // `schema: 2024` is read by YAML as a number; a schema name is what the user meant
    HeapConfig c = HeapConfigLoader.load(write("heap.yml", "source:\n  schema: 2024\n"));
    assertThat(c.sourceSchema()).isEqualTo("2024");
  }

  @Test
  void typeNamesOfPassThroughColumns() throws IOException {
    HeapConfig c =
        HeapConfigLoader.load(
            write(
                "heap.yml",
                "source:\n  pageview_properties:\n"
                    + "    - {name: a, type: varchar}\n"
                    + "    - {name: b, type: bigint}\n"
                    + "    - {name: c, type: double}\n"
                    + "    - {name: d, type: boolean}\n"
                    + "    - {name: e, type: timestamp}\n"
                    + "    - {name: f}\n"));
    assertThat(c.pageviewProperties())
        .containsExactly(
            new PassThroughColumn("a", ColumnType.VARCHAR),
            new PassThroughColumn("b", ColumnType.BIGINT),
            new PassThroughColumn("c", ColumnType.DOUBLE),
            new PassThroughColumn("d", ColumnType.BOOLEAN),
            new PassThroughColumn("e", ColumnType.TIMESTAMP),
            new PassThroughColumn("f", ColumnType.VARCHAR));
  }

  /**
   * Custom sessions columns pass through to the sessions fact, after Heap's own in the catalog, and
   * channel rules may read them (a team's own campaign type, synced as a session property): the rules
   * were limited to Heap's built-in sessions columns.
   */
  @Test
  void sessionPropertiesAndARuleThatReadsOne() throws IOException {
    HeapConfig c =
        HeapConfigLoader.load(
            write(
                "heap.yml",
                "source:\n  session_properties:\n    - campaign_type\n    - {name: ad_group_id, type: bigint}\n"
                    + "channels:\n  rules:\n"
                    + "    - {channel: Partner, when: {field: campaign_type, equals: partner}}\n"
                    + "    - {channel: Paid, when: {field: ad_group_id, is_not_null: true}}\n"));
    assertThat(c.sessionProperties())
        .containsExactly(new PassThroughColumn("campaign_type", ColumnType.VARCHAR), new PassThroughColumn("ad_group_id", ColumnType.BIGINT));
    List<String> columns = c.catalog().table("sessions").columnNames();
    assertThat(columns.subList(columns.size() - 2, columns.size())).containsExactly("campaign_type", "ad_group_id");
    assertThat(c.propertyKey("sessions", "ad_group_id")).contains("source.session_properties[1]");
    assertThat(c.propertyKey("pageviews", "ad_group_id")).isEmpty();
    assertThat(HeapConfig.builder().from(c).build()).isEqualTo(c);
    // a change of them is a change of the models' settings, as a pageview property's is
    assertThat(ModelSettings.of(c)).containsEntry("source.session_properties", "[\"campaign_type varchar\",\"ad_group_id bigint\"]");
    assertThat(ModelSettings.of(HeapConfig.defaults())).doesNotContainKey("source.session_properties");
  }

  /** A mobile app's project: its empty pageviews table goes without a freshness check. */
  @Test
  void freshnessSkipTables() throws IOException {
    HeapConfig c = HeapConfigLoader.load(write("heap.yml", "source:\n  freshness:\n    skip_tables: [pageviews, sessions]\n"));
    assertThat(c.freshnessSkipTables()).containsExactly("pageviews", "sessions");
    assertThat(c.catalog().table("pageviews").freshness()).isEmpty();
    assertThat(c.catalog().table("sessions").freshness()).isEmpty();
    assertThat(c.catalog().table("all_events").freshness()).isPresent();
    assertThat(HeapConfig.builder().from(c).build()).isEqualTo(c);

    assertError("source:\n  freshness:\n    skip_tables: [pagevews]\n", "source.freshness.skip_tables[0]",
        "no Heap table \"pagevews\" has a freshness check; did you mean 'pageviews'? The tables with one are users, sessions, pageviews,"
            + " all_events (logical names, as under source.tables)");
    assertError("source:\n  freshness:\n    skip_tables: [user_migrations]\n", "source.freshness.skip_tables[0]",
        "\"user_migrations\" has no freshness check to skip");
    assertError("source:\n  freshness:\n    skip_tables: [pageviews, pageviews]\n", "source.freshness.skip_tables[1]", "listed twice");
  }

  // ---------------------------------------------------------------------------------------------
  // errors: each names the file, the key path and what was expected

  /** Loads {@code yaml} from a real file and returns the error, checking its origin and message shape. */
  private HeapConfigException loadError(String yaml) throws IOException {
    Path file = write("heap.yml", yaml);
    try {
      HeapConfig c = HeapConfigLoader.load(file);
      throw new AssertionError("expected a HeapConfigException for\n" + yaml + "\nbut got " + c);
    } catch (HeapConfigException e) {
      assertThat(e.origin()).isEqualTo(file.toString());
      assertThat(e.getMessage()).isEqualTo(file + ": " + e.keyPath() + ": " + e.problem());
      return e;
    }
  }

  private void assertError(String yaml, String keyPath, String... problemMentions) throws IOException {
    HeapConfigException e = loadError(yaml);
    assertThat(e.keyPath()).as("key path of: %s", e.getMessage()).isEqualTo(keyPath);
    assertThat(e.problem()).as("problem of: %s", e.getMessage()).contains(problemMentions);
  }

  @Nested
  class Errors {
    @Test
    void unknownTopLevelKey() throws IOException {
      // a typo of funnel_events: the message lists the keys allowed at the top level
      assertError("funnel_event: [signup]\n", "funnel_event", "unknown key", "funnel_events", "sessionization");
    }

    /**
     * A key in another case, with a hyphen, or a letter off: the message names the key meant first,
     * then the ones allowed there. A key far from every allowed one gets the list alone.
     */
    @Test
    void aKeyNearAnAllowedOneIsNamedAsTheOneMeant() throws IOException {
      assertThat(loadError("Funnel_Events: [signup]\n").problem())
          .startsWith("unknown key; did you mean 'funnel_events'? Expected one of [");
      assertThat(loadError("funnel-events: [signup]\n").problem()).startsWith("unknown key; did you mean 'funnel_events'? Expected");
      assertThat(loadError("source:\n  shema: x\n").problem()).startsWith("unknown key; did you mean 'schema'? Expected one of [");
      assertThat(loadError("incremental:\n  late_arival_lookback_days: 2\n").problem())
          .startsWith("unknown key; did you mean 'late_arrival_lookback_days'?");
      assertThat(loadError("colour: blue\n").problem()).startsWith("unknown key; expected one of [");
      assertError(
          "channels:\n  rules:\n    - channel: Email\n      when:\n        field: UTM_Medium\n        equals: email\n",
          "channels.rules[0].when.field", "unknown sessions column \"UTM_Medium\"; did you mean 'utm_medium'? Expected one of [");
      assertError("source:\n  tables:\n    page_views: pv\n", "source.tables.page_views", "unknown Heap table; did you mean 'pageviews'?");
      // two Heap tables read from one table: the first load used to fail with "already exists", naming no key
      assertError(
          "source:\n  tables:\n    users: All_Events\n", "source.tables.users",
          "names All_Events, which is also Heap's all_events table (not renamed): each Heap table is a table of its own");
      assertError(
          "source:\n  tables:\n    users: people\n    sessions: people\n", "source.tables.sessions",
          "names people, which is also Heap's users table (source.tables.users)");
      // an exact name in double quotes is the same table
      assertError(
          "source:\n  tables:\n    users: '\"all_events\"'\n", "source.tables.users",
          "names \"all_events\", which is also Heap's all_events table (not renamed)");
      assertError(
          "source:\n  columns:\n    pageviews:\n      tittle: page_title\n", "source.columns.pageviews.tittle",
          "unknown column of pageviews; did you mean 'title'?");
    }

    @Test
    void anOwnDomainWithASpaceIsNoDomain() throws IOException {
      assertError("channels:\n  own_domain: not a domain\n", "channels.own_domain", "expected a domain such as example.com, got \"not a domain\"");
      // the rule field's columns in the catalog's order
      assertThat(loadError("channels:\n  rules:\n    - channel: X\n      when: {field: nope, is_null: true}\n").problem())
          .contains("expected one of [session_id, user_id, time, ");
    }

    @Test
    void unknownNestedKey() throws IOException {
      assertError("sessionization:\n  timeout: 10\n", "sessionization.timeout", "unknown key", "timeout_minutes");
    }

    @Test
    void unknownKeyDeepInSource() throws IOException {
      assertError("source:\n  shema: x\n", "source.shema", "unknown key", "schema");
    }

    @Test
    void textWhereANumberIsExpected() throws IOException {
      assertError(
          "sessionization:\n  timeout_minutes: thirty\n",
          "sessionization.timeout_minutes",
          "whole number",
          "thirty");
    }

    @Test
    void fractionWhereAWholeNumberIsExpected() throws IOException {
      assertError(
          "sessions:\n  conversion_window_days: 7.5\n", "sessions.conversion_window_days", "whole number", "7.5");
    }

    @Test
    void funnelEventsNotAList() throws IOException {
      assertError("funnel_events: signup\n", "funnel_events", "list", "signup");
    }

    @Test
    void mappingWhereATextIsExpected() throws IOException {
      assertError("target:\n  schema:\n    name: marts\n", "target.schema", "text", "mapping");
    }

    @Test
    void listWhereATextIsExpected() throws IOException {
      assertError("funnel_events:\n  - [a, b]\n", "funnel_events[0]", "text", "list");
    }

    @Test
    void sectionThatIsNotAMapping() throws IOException {
      assertError("channels: [a, b]\n", "channels", "mapping", "list");
    }

    @Test
    void topLevelThatIsNotAMapping() throws IOException {
      assertError("- source\n- target\n", "(top level)", "mapping");
    }

    @Test
    void emptyFunnelStep() throws IOException {
      assertError("funnel_events: [signup, '', purchase]\n", "funnel_events[1]", "empty");
    }

    @Test
    void blankFunnelStep() throws IOException {
      assertError("funnel_events: [signup, '   ']\n", "funnel_events[1]", "empty");
    }

    @Test
    void missingFunnelStep() throws IOException {
      assertError("funnel_events:\n  - signup\n  -\n", "funnel_events[1]", "text", "null");
    }

    @Test
    void duplicatedFunnelStepNamesBothIndexes() throws IOException {
      HeapConfigException e = loadError("funnel_events: [signup, add_to_cart, signup]\n");
      assertThat(e.keyPath()).isEqualTo("funnel_events[2]");
      assertThat(e.problem()).contains("\"signup\"", "twice", "funnel_events[0]");
      assertThat(e.getMessage()).contains("funnel_events[2]", "funnel_events[0]");
    }

    @Test
    void duplicatedConversionEvent() throws IOException {
      assertError("conversion_events: [purchase, purchase]\n", "conversion_events[1]", "conversion_events[0]");
    }

    @Test
    void negativeTimeout() throws IOException {
      assertError(
          "sessionization:\n  timeout_minutes: -5\n", "sessionization.timeout_minutes", "positive", "minutes", "-5");
    }

    @Test
    void zeroTimeout() throws IOException {
      assertError("sessionization:\n  timeout_minutes: 0\n", "sessionization.timeout_minutes", "positive", "got 0");
    }

    @Test
    void zeroConversionWindow() throws IOException {
      assertError(
          "sessions:\n  conversion_window_days: 0\n", "sessions.conversion_window_days", "positive", "days", "got 0");
    }

    @Test
    void unknownSourceTable() throws IOException {
      assertError(
          "source:\n  tables:\n    pageview: pv\n",
          "source.tables.pageview",
          "unknown",
          "users",
          "sessions",
          "pageviews",
          "all_events",
          "user_migrations");
    }

    @Test
    void unknownColumnInSourceColumns() throws IOException {
      assertError(
          "source:\n  columns:\n    pageviews:\n      tme: t\n",
          "source.columns.pageviews.tme",
          "unknown column",
          "pageviews",
          "time",
          "event_id");
    }

    @Test
    void unknownTableInSourceColumns() throws IOException {
      HeapConfigException e = loadError("source:\n  columns:\n    pageview:\n      time: t\n");
      assertThat(e.keyPath()).startsWith("source.columns.pageview");
      assertThat(e.problem()).contains("pageviews", "sessions");
    }

    @Test
    void sourceColumnsOfATableThatIsNotAMapping() throws IOException {
      assertError("source:\n  columns:\n    pageviews: t\n", "source.columns.pageviews", "mapping");
    }

    @Test
    void passThroughColumnClashingWithABuiltInPageviewColumn() throws IOException {
      assertError(
          "source:\n  pageview_properties:\n    - gtm_campaign\n    - title\n",
          "source.pageview_properties[1]",
          "\"title\"",
          "pageview column");
    }

    @Test
    void passThroughColumnListedTwice() throws IOException {
      assertError(
          "source:\n  pageview_properties:\n    - gtm_campaign\n    - name: gtm_campaign\n      type: varchar\n",
          "source.pageview_properties[1]",
          "gtm_campaign");
    }

    @Test
    void unknownTypeName() throws IOException {
      assertError(
          "source:\n  pageview_properties:\n    - name: gtm_id\n      type: uuid\n",
          "source.pageview_properties[0].type",
          "uuid",
          "varchar",
          "bigint",
          "double",
          "boolean",
          "timestamp");
    }

    @Test
    void passThroughColumnWithoutName() throws IOException {
      assertError(
          "source:\n  pageview_properties:\n    - type: bigint\n", "source.pageview_properties[0].name", "missing");
    }

    @Test
    void sessionPropertyClashingWithAHeapSessionsColumn() throws IOException {
      assertError("source:\n  session_properties: [campaign_type, Referrer]\n", "source.session_properties[1]", "\"Referrer\"", "sessions column");
      assertError("source:\n  session_properties: [heap_channel]\n", "source.session_properties[0]", "reserved");
    }

    /** contains and equals lower the column's text: a number or a time is refused by name, with what a rule may test on it. */
    @Test
    void channelRuleComparingTextWithANumberProperty() throws IOException {
      assertError(
          "source:\n  session_properties: [{name: ad_group_id, type: bigint}]\n"
              + "channels:\n  rules:\n    - {channel: Paid, when: {field: ad_group_id, equals: '42'}}\n",
          "channels.rules[0].when.field",
          "\"ad_group_id\" holds bigint values",
          "is_not_null");
    }

    /** A custom column a rule reads must be listed: the message says where. */
    @Test
    void channelRuleReadingAnUnlistedCustomColumn() throws IOException {
      assertError(
          "channels:\n  rules:\n    - {channel: Partner, when: {field: campaign_type, equals: partner}}\n",
          "channels.rules[0].when.field",
          "unknown sessions column \"campaign_type\"",
          "source.session_properties");
    }

    @Test
    void channelRuleWithAnUnknownField() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: Paid\n      when:\n        field: utm_sorce\n        contains: cpc\n",
          "channels.rules[0].when.field",
          "utm_sorce",
          "utm_source");
    }

    @Test
    void nestedConditionWithAnUnknownField() throws IOException {
      assertError(
          "channels:\n  rules:\n"
              + "    - channel: Direct\n      when: {field: referrer, is_null: true}\n"
              + "    - channel: Paid\n      when:\n        all:\n"
              + "          - {field: referrer, is_not_null: true}\n"
              + "          - any:\n"
              + "              - {field: utm_medium, contains: cpc}\n"
              + "              - {field: gclid, is_not_null: true}\n",
          "channels.rules[1].when.all[1].any[1].field",
          "gclid");
    }

    @Test
    void conditionWithTwoTests() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: X\n      when: {field: referrer, contains: a, equals: b}\n",
          "channels.rules[0].when",
          "exactly one",
          "contains",
          "equals");
    }

    @Test
    void conditionMixingAllWithAFieldTest() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: X\n      when:\n        field: referrer\n        all:\n          - {field: referrer, is_null: true}\n",
          "channels.rules[0].when",
          "exactly one");
    }

    @Test
    void conditionWithAnUnknownTest() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: X\n      when: {field: referrer, starts_with: a}\n",
          "channels.rules[0].when.starts_with",
          "unknown key",
          "contains");
    }

    @Test
    void conditionWithoutATest() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: X\n      when: {field: referrer}\n",
          "channels.rules[0].when",
          "exactly one");
    }

    @Test
    void isNullThatIsNotTrue() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: X\n      when: {field: referrer, is_null: false}\n",
          "channels.rules[0].when.is_null",
          "true");
    }

    @Test
    void emptyAllList() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: X\n      when: {all: []}\n", "channels.rules[0].when.all", "at least one");
    }

    @Test
    void emptyContainsValue() throws IOException {
      assertError(
          "channels:\n  rules:\n    - channel: X\n      when: {field: referrer, contains: ''}\n",
          "channels.rules[0].when.contains",
          "non-empty");
    }

    @Test
    void ruleWithoutChannel() throws IOException {
      assertError(
          "channels:\n  rules:\n    - when: {field: referrer, is_null: true}\n", "channels.rules[0].channel", "missing");
    }

    @Test
    void ruleWithoutWhen() throws IOException {
      assertError("channels:\n  rules:\n    - channel: Direct\n", "channels.rules[0].when", "missing");
    }

    @Test
    void emptyRulesList() throws IOException {
      assertError("channels:\n  rules: []\n", "channels.rules", "at least one rule");
    }

    @Test
    void blankFallback() throws IOException {
      assertError("channels:\n  fallback: ''\n", "channels.fallback", "non-empty");
    }

    @Test
    void invalidYamlSyntaxNamesLineAndColumn() throws IOException {
      // line 3 is indented by one space: neither inside `source` nor a top-level key
      HeapConfigException e = loadError("source:\n  schema: a\n database: b\n");
      assertThat(e.keyPath()).isEqualTo("line 3, column 2");
      assertThat(e.problem()).contains("not valid YAML");
    }

    /** The position of the offending character itself, not the end of the line before it. */
    @Test
    void aTabOrABadIndentIsFoundWhereItIs() throws IOException {
      HeapConfigException tab = loadError("funnel_events: [a, b]\nconversion_events: [a]\nsessionization:\n\ttimeout_minutes: 30\n");
      assertThat(tab.keyPath()).isEqualTo("line 4, column 1");
      assertThat(tab.problem()).isEqualTo("not valid YAML: a tab indents this line; YAML indents with spaces only: replace the tab with spaces");
      // a tab after a colon or a comma is no indentation, whatever the YAML reader's own words say
      HeapConfigException afterColon = loadError("own_domain:\texample.com\n");
      assertThat(afterColon.keyPath()).isEqualTo("line 1, column 12");
      assertThat(afterColon.problem())
          .isEqualTo("not valid YAML: a tab after \"own_domain:\"; this YAML reader separates values with spaces only: replace the tab with a space");
      assertThat(loadError("funnel_events: [a,\tb]\n").problem()).contains("a tab after \"funnel_events: [a,\"");
      HeapConfigException indent = loadError("funnel_events: [a, b]\n  conversion_events: [a]\n");
      // the key indented under a scalar: where it starts
      assertThat(indent.keyPath()).isEqualTo("line 2, column 3");
    }

    @Test
    void unclosedFlowSequence() throws IOException {
      HeapConfigException e = loadError("target:\n  schema: a\nfunnel_events: [a, b\n");
      assertThat(e.keyPath()).matches("line [34], column \\d+");
      assertThat(e.problem()).contains("not valid YAML");
    }

    @Test
    void duplicateYamlKeyIsAnError() throws IOException {
      HeapConfigException e = loadError("source:\n  schema: a\n  schema: b\n");
      assertThat(e.getMessage()).containsIgnoringCase("duplicate").contains("schema").contains("line 3");
    }

    /**
     * HeapConfigLoader's documentation promises that "every error names its key path: an unknown key
     * ..., a value of the wrong type, a duplicated key"; a duplicated key is reported by line and column
     * only.
     */
    @Test
    void duplicateYamlKeyNamesItsKeyPath() throws IOException {
      HeapConfigException e = loadError("source:\n  schema: a\n  schema: b\n");
      assertThat(e.keyPath()).isEqualTo("source.schema");
      assertThat(e.problem()).containsIgnoringCase("duplicate");
    }

    @Test
    void missingFile() {
      Path file = dir.resolve("does-not-exist.yml");
      try {
        HeapConfigLoader.load(file);
        fail("expected a HeapConfigException for a missing file");
      } catch (HeapConfigException e) {
        assertThat(e.origin()).isEqualTo(file.toString());
        assertThat(e.keyPath()).isEqualTo("(file)");
        assertThat(e.problem()).contains("no such file");
        assertThat(e.getMessage()).startsWith(file.toString());
      }
    }

    @Test
    void parseNamesTheGivenOrigin() {
      try {
        HeapConfigLoader.parse("sessionization:\n  timeout_minutes: -1\n", "configs/prod.yml");
        fail("expected a HeapConfigException");
      } catch (HeapConfigException e) {
        assertThat(e.origin()).isEqualTo("configs/prod.yml");
        assertThat(e.keyPath()).isEqualTo("sessionization.timeout_minutes");
        assertThat(e.getMessage())
            .isEqualTo("configs/prod.yml: sessionization.timeout_minutes: " + e.problem())
            .doesNotContain(HeapConfig.BUILDER_ORIGIN);
      }
    }

    @Test
    void parseNamesTheGivenOriginForSyntaxErrors() {
      try {
        HeapConfigLoader.parse("a: [\n", "inline");
        fail("expected a HeapConfigException");
      } catch (HeapConfigException e) {
        assertThat(e.origin()).isEqualTo("inline");
        assertThat(e.keyPath()).startsWith("line ");
      }
    }
  }

  /**
   * YAML 1.1 reads unquoted {@code NO}, {@code yes}, {@code on}, {@code off} as booleans (the "Norway
   * problem"); the loader then turns the boolean into the text {@code "false"} / {@code "true"}, so a rule
   * for Norway silently matches the country "false". Whatever the loader does, it must not change the
   * user's value without a word: keep {@code NO} as the text it is, or reject it at its key.
   */
  @Test
  void unquotedYamlBooleanIsNotSilentlyTurnedIntoAnotherText() {
    String yaml = "channels:\n  rules:\n    - channel: Norway\n      when: {field: country, equals: NO}\n";
    HeapConfig c;
    try {
      c = HeapConfigLoader.parse(yaml, "heap.yml");
    } catch (HeapConfigException e) {
      assertThat(e.keyPath()).isEqualTo("channels.rules[0].when.equals");
      return;
    }
    assertThat(c.channelRules()).containsExactly(new ChannelRule("Norway", equalTo("country", "no")));
  }

  @Test
  void defaultsAreTheSameFromAnEmptyFileAndFromDefaults() throws IOException {
    assertThat(HeapConfigLoader.load(write("empty.yml", ""))).isEqualTo(HeapConfig.defaults());
    assertThat(HeapConfig.defaults().ownDomain()).isEqualTo(Optional.empty());
  }
}
