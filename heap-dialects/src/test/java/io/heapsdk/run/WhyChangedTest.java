package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.ModelSettings;
import io.heapsdk.source.PassThroughColumn;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a changed definition's reason adds from the settings the last successful run recorded; the
 * engines' end of it is {@code DefinitionChangeTest}'s. Expected texts written by hand.
 */
class WhyChangedTest {
  private static final HeapConfig THEN = HeapConfig.builder().conversionEvents(List.of("purchase")).build();
  private static final RunState.Run LAST =
      new RunState.Run("r1", "host/1/r1", "incremental", "succeeded", Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), Optional.empty(), List.of(), "");

  private static Map<String, RunState.Setting> recorded(HeapConfig config, String runId) {
    return Map.of(
        JdbcRunner.MODEL_SETTINGS, new RunState.Setting(JdbcRunner.MODEL_SETTINGS, ModelSettings.write(ModelSettings.of(config)).orElseThrow(), runId),
        JdbcRunner.HEAP_VERSION, new RunState.Setting(JdbcRunner.HEAP_VERSION, HeapVersion.get().orElseThrow(), runId));
  }

  @Test
  void aNewPageviewPropertySaysAReconcilingRunFindsItsOldValues() {
    HeapConfig now = HeapConfig.builder().from(THEN).addPageviewProperties(PassThroughColumn.varchar("ab_variant")).build();
    assertThat(JdbcRunner.whyChanged(recorded(THEN, "r1"), Optional.of(LAST), "r1", now))
        .isEqualTo("; the config changed since run r1: source.pageview_properties (not set) -> [\"ab_variant varchar\"] (where Heap"
            + " fills a property's old values by re-syncing old pageviews or sessions, a plain run does not see them: run heap run"
            + " --reconcile once it has)");
    // a session property's the same
    HeapConfig withSession = HeapConfig.builder().from(THEN).addSessionProperties(PassThroughColumn.varchar("campaign_type")).build();
    assertThat(JdbcRunner.whyChanged(recorded(THEN, "r1"), Optional.of(LAST), "r1", withSession))
        .startsWith("; the config changed since run r1: source.session_properties (not set) -> [\"campaign_type varchar\"] (where Heap")
        .endsWith("run heap run --reconcile once it has)");
  }

  @Test
  void otherKeysSayOnlyWhatChanged() {
    HeapConfig now = HeapConfig.builder().from(THEN).conversionEvents(List.of("purchase", "sign_up")).build();
    assertThat(JdbcRunner.whyChanged(recorded(THEN, "r1"), Optional.of(LAST), "r1", now))
        .isEqualTo("; the config changed since run r1: conversion_events [\"purchase\"] -> [\"purchase\",\"sign_up\"]");
  }

  @Test
  void nothingWhereTheLastRunDidNotRecordTheFingerprint() {
    HeapConfig now = HeapConfig.builder().from(THEN).conversionEvents(List.of("sign_up")).build();
    // the fingerprint was recorded by an earlier run than the last successful one: its settings are not known
    assertThat(JdbcRunner.whyChanged(recorded(THEN, "r1"), Optional.of(LAST), "r0", now)).isEmpty();
    assertThat(JdbcRunner.whyChanged(Map.of(), Optional.of(LAST), "r1", now)).isEmpty();
    assertThat(JdbcRunner.whyChanged(recorded(THEN, "r1"), Optional.empty(), "r1", now)).isEmpty();
  }

  @Test
  void aConfigChangeAndAnUpgradeAreBothSaid() {
    Map<String, RunState.Setting> recorded = new java.util.HashMap<>(recorded(THEN, "r1"));
    recorded.put(JdbcRunner.HEAP_VERSION, new RunState.Setting(JdbcRunner.HEAP_VERSION, "0.0.9", "r1"));
    HeapConfig now = HeapConfig.builder().from(THEN).conversionEvents(List.of("sign_up")).build();
    assertThat(JdbcRunner.whyChanged(recorded, Optional.of(LAST), "r1", now))
        .isEqualTo("; the config changed since run r1: conversion_events [\"purchase\"] -> [\"sign_up\"]; and heap 0.0.9 built it,"
            + " this is heap " + HeapVersion.get().orElseThrow());
    // a version not recorded (a build outside Maven): not claimed to be the same
    recorded.remove(JdbcRunner.HEAP_VERSION);
    assertThat(JdbcRunner.whyChanged(recorded, Optional.of(LAST), "r1", THEN))
        .isEqualTo("; the config is as at run r1, and heap's version then is unknown: heap renders the model otherwise, or the"
            + " model's own definition changed");
  }
}
