package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.standard.StandardModels;
import java.time.LocalDate;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The analysis cases of the host application's probe: a breakdown checked when the funnel is built,
 * ignoring case, with meaningful suggestions; nulls and text a warehouse cannot store named by setting.
 */
class AnalysisProbeErrorsTest {

  private static HeapAnalysisException error(ThrowingCallable call) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(t).isInstanceOf(HeapAnalysisException.class);
    assertThat(t.getMessage()).doesNotContain("\n", "java.", "Exception");
    return (HeapAnalysisException) t;
  }

  /**
   * A breakdown no Heap column is, nor a misspelling of one, may be a session property
   * (source.session_properties), which only the config knows: validate(config) refuses it, with the
   * suggestions; a misspelling of a Heap column is still refused at build.
   */
  @Test
  void anUnknownBreakdownFailsWithMeaningfulSuggestionsOnly() {
    Funnel colour = Funnel.builder().step("a").breakdown("colour").build();
    HeapAnalysisException e = error(() -> colour.validate(HeapConfig.defaults()));
    assertThat(e.getMessage())
        .isEqualTo(
            "funnel: breakdown: \"colour\" is not a column of stg_heap_sessions_inc_fct with this config; expected one of [channel, utm_source,"
                + " utm_medium, utm_campaign, utm_term, utm_content, referrer, landing_page, landing_page_query, browser, platform,"
                + " device_type, device, country, region, city, library] (or the same with the heap_session_ prefix), or a session"
                + " property listed under source.session_properties");
    // a session property of the config is a breakdown, by its name as listed
    HeapConfig withColour = HeapConfig.builder().addSessionProperties(io.heapsdk.source.PassThroughColumn.varchar("Colour")).build();
    assertThat(Funnel.builder().step("a").breakdown("Colour").build().validate(withColour).breakdown()).contains("Colour");
    // a property mistyped is offered the config's own
    HeapConfig japanese = HeapConfig.builder().addSessionProperties(io.heapsdk.source.PassThroughColumn.varchar("キャンペーン種別")).build();
    Attribution typo = Attribution.builder().by("キャンペーン種").build();
    assertThat(error(() -> typo.validate(japanese)).getMessage())
        .startsWith("attribution: by: \"キャンペーン種\" is not a column of stg_heap_sessions_inc_fct with this config; did you mean 'キャンペーン種別'?")
        .endsWith("or a session property listed under source.session_properties [キャンペーン種別]");
    assertThat(error(() -> Funnel.builder().step("a").breakdown("utm_sorce").build()).getMessage())
        .startsWith("funnel: breakdown: \"utm_sorce\" is not a column of stg_heap_sessions_inc_fct; did you mean 'utm_source'?");
    // the session's ids, times and counts are columns, but no breakdown anyone wants
    assertThat(e.getMessage()).doesNotContain(" id,", "sequence_num", "start_time", "user_id", "conversion_cnt", "lookback");
  }

  @Test
  void everySuggestionIsAColumnOfTheSessionsFact() {
    List<String> columns = StandardModels.sessionsFactColumns(HeapConfig.defaults());
    for (String s : Analyses.SUGGESTED_BREAKDOWNS) {
      String column = s.equals("channel") ? "heap_session_defined_channel_attribution" : "heap_session_" + s;
      assertThat(columns).as(s).contains(column);
      assertThat(Funnel.builder().step("a").breakdown(s).build().breakdown()).contains(s);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTM_SOURCE", "Utm_Source", " utm_source ", "HEAP_SESSION_UTM_SOURCE"})
  void aBreakdownIgnoresCase(String name) {
    String expected = name.strip().toLowerCase(java.util.Locale.ROOT);
    assertThat(Funnel.builder().step("a").breakdown(name).build().breakdown()).contains(expected);
    assertThat(Attribution.builder().by(name).build().by()).isEqualTo(expected);
  }

  /**
   * The refusal offers each suggested name "or the same with the heap_session_ prefix": each is taken,
   * both ways, as the same column (heap_session_channel was refused while the refusal offered it).
   */
  @Test
  void everySuggestedBreakdownIsTakenWithAndWithoutThePrefix() {
    List<String> columns = StandardModels.sessionsFactColumns(HeapConfig.defaults());
    for (String suggested : Analyses.SUGGESTED_BREAKDOWNS) {
      String bare = Analyses.sessionColumn("funnel", "breakdown", suggested, columns);
      assertThat(Analyses.sessionColumn("funnel", "breakdown", "heap_session_" + suggested, columns)).as(suggested).isEqualTo(bare);
    }
    assertThat(Analyses.sessionColumn("funnel", "breakdown", "heap_session_channel", columns)).isEqualTo("heap_session_defined_channel_attribution");
  }

  @Test
  void columnsThatAreNoSuggestionAreStillAccepted() {
    assertThat(Funnel.builder().step("a").breakdown("id").build().breakdown()).contains("id");
    assertThat(Funnel.builder().step("a").breakdown("heap_session_is_conversion").build().breakdown()).contains("heap_session_is_conversion");
  }

  @Test
  void aColumnThatDependsOnTheConfigIsCheckedByValidate() {
    // a count column per funnel step: funnel_step_3_cnt exists with three funnel events, not with two
    Funnel byStep3 = Funnel.builder().step("a").breakdown("funnel_step_3_cnt").build();
    HeapConfig two = HeapConfig.builder().addFunnelEvents("x", "y").build();
    HeapConfig three = HeapConfig.builder().addFunnelEvents("x", "y", "z").build();
    assertThat(byStep3.validate(three)).isSameAs(byStep3);
    HeapAnalysisException e = error(() -> byStep3.validate(two));
    assertThat(e.getMessage()).startsWith("funnel: breakdown: \"funnel_step_3_cnt\" is not a column of stg_heap_sessions_inc_fct with this config; expected one of [channel, ");
    // the window columns are named after the config's conversion window
    Attribution byLookback = Attribution.builder().by("conversion_lookback_7d").build();
    assertThat(byLookback.validate(HeapConfig.builder().conversionWindowDays(7).build())).isSameAs(byLookback);
    assertThat(error(() -> byLookback.validate(HeapConfig.defaults())).getMessage())
        .startsWith("attribution: by: \"conversion_lookback_7d\" is not a column of stg_heap_sessions_inc_fct with this config;");
    // and no config has a step 0 or a window of 0 days
    assertThat(error(() -> Funnel.builder().step("a").breakdown("funnel_step_0_cnt").build()).setting()).isEqualTo("breakdown");
  }

  @Test
  void theColumnListMatchesThePlannedSessionsFact() {
    for (HeapConfig c :
        List.of(HeapConfig.defaults(), HeapConfig.builder().addFunnelEvents("a", "b", "c").conversionWindowDays(30).build())) {
      assertThat(StandardModels.sessionsFactColumns(c))
          .isEqualTo(HeapProject.standard(c).plan().model(StandardModels.SESSIONS_FACT).columnNames());
      StandardModels.sessionsFactColumns(c).forEach(col -> assertThat(StandardModels.isSessionsFactColumn(col)).as(col).isTrue());
    }
  }

  @Test
  void attributionByIsCheckedToo() {
    Attribution byCampaign = Attribution.builder().by("campaign").build();
    assertThat(error(() -> byCampaign.validate(HeapConfig.defaults())).getMessage())
        .startsWith("attribution: by: \"campaign\" is not a column of stg_heap_sessions_inc_fct with this config; expected one of [channel, utm_source,");
  }

  // ------------------------------------------------------------------------------ nulls

  @Test
  void nullsNameTheirSetting() {
    assertThat(error(() -> Funnel.builder().ordering(null)).getMessage()).isEqualTo("funnel: ordering: expected ordered, strict or any_order, got null");
    assertThat(error(() -> Funnel.builder().unit(null)).getMessage()).isEqualTo("funnel: unit: expected user or session, got null");
    assertThat(error(() -> Funnel.builder().breakdown(null)).getMessage()).isEqualTo("funnel: breakdown: expected a column name, got null");
    assertThat(error(() -> Funnel.builder().steps(null)).getMessage()).isEqualTo("funnel: steps: expected a list of event names, got null");
    assertThat(error(() -> Funnel.builder().step("a").step(null)).getMessage()).isEqualTo("funnel: steps[1]: expected a non-empty name, got null");
    assertThat(error(() -> Funnel.builder().step("a").step("b", null)).getMessage()).isEqualTo("funnel: steps[1]: expected a predicate, got null");
    assertThat(error(() -> Funnel.builder().exclude((String[]) null)).getMessage()).isEqualTo("funnel: exclusions: expected event names, got null");
    assertThat(error(() -> Funnel.builder().from((LocalDate) null)).getMessage()).isEqualTo("funnel: from: expected a date, got null");
    assertThat(error(() -> Funnel.builder().step("a").window(null).build()).getMessage()).isEqualTo("funnel: window: expected a positive duration, got null");
    assertThat(error(() -> Attribution.builder().model(null)).getMessage()).isEqualTo("attribution: model: expected an attribution model, got null");
    assertThat(error(() -> Attribution.builder().conversionEvents("a", null).build()).getMessage())
        .isEqualTo("attribution: conversion_events[1]: expected a non-empty name, got null");
    assertThat(error(() -> Attribution.builder().value(null)).getMessage()).isEqualTo("attribution: value: expected a column name, got null");
    assertThat(error(() -> Attribution.builder().by(null).build()).getMessage()).isEqualTo("attribution: by: expected a non-empty name, got null");
    assertThat(error(() -> Funnel.builder().step("a").build().validate(null)).getMessage()).isEqualTo("funnel: config: expected a config, got null");
  }

  // ------------------------------------------------------------------------------ text a warehouse cannot store

  @Test
  void aNulOrLoneSurrogateInAStepIsRefusedNamingIt() {
    assertThat(error(() -> Funnel.builder().step("a").step("b\0c")).getMessage())
        .isEqualTo("funnel: steps[1]: contains a NUL character (U+0000) at character 2, which warehouses cannot store in text; remove it");
    assertThat(error(() -> Funnel.builder().steps(List.of("a", "b", "\uD83D")).build()).setting()).isEqualTo("steps[2]");
    assertThat(error(() -> Funnel.builder().step("a").exclude("ok", "x\uDC00")).getMessage())
        .isEqualTo("funnel: exclusions[1]: contains an unpaired surrogate (U+DC00) at character 2, which is not Unicode text (half of an emoji cut in two?); fix the text");
    assertThat(error(() -> Funnel.builder().step("a").step("label\0", b -> b.literal(true)).build()).setting()).isEqualTo("steps[1]");
    assertThat(error(() -> Attribution.builder().conversionEvents("buy", "\0").build()).getMessage())
        .isEqualTo("attribution: conversion_events[1]: contains a NUL character (U+0000) at character 1, which warehouses cannot store in text; remove it");
  }

  @Test
  void otherUnicodeStepsAreAccepted() {
    List<String> steps = List.of("\uD83D\uDED2 cart", "\u8d2d\u4e70", "\u0634\u0631\u0627\u0621", "cafe\u0301");
    assertThat(Funnel.builder().steps(steps).build().steps()).extracting(Step::label).containsExactlyElementsOf(steps);
    assertThat(Attribution.builder().conversionEvents("\u8d2d\u4e70").build().conversionEvents()).containsExactly("\u8d2d\u4e70");
  }
}
