package io.heapsdk.analysis;

import io.heapsdk.model.standard.StandardModels;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the funnel and attribution planners share: the facts' column names and the checks of their settings. */
final class Analyses {
  static final String EVENTS_FACT = StandardModels.EVENTS_FACT;
  static final String SESSIONS_FACT = StandardModels.SESSIONS_FACT;

  static final String EVENT_ID = "heap_event_id";
  static final String EVENT_NAME = "heap_event_name";
  static final String EVENT_TIME = "heap_event_time";
  static final String USER_ID = "heap_user_id";
  static final String SESSION_ID = "heap_session_id";
  static final String SESSION_START = "heap_session_start_time";
  static final String CHANNEL = "heap_session_defined_channel_attribution";

  /** Ten years, as the config's windows: longer is a typo, and date arithmetic overflows far beyond. */
  static final Duration MAX_DURATION = Duration.ofDays(3650);

  private Analyses() {}

  /** A positive whole number of seconds, at most ten years. */
  static Duration checkDuration(String analysis, String setting, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new HeapAnalysisException(analysis, setting, "expected a positive duration, got " + (d == null ? "null" : Durations.format(d)));
    }
    if (d.getNano() != 0) {
      throw new HeapAnalysisException(analysis, setting, "expected a whole number of seconds, got " + Durations.format(d));
    }
    if (d.compareTo(MAX_DURATION) > 0) {
      throw new HeapAnalysisException(analysis, setting, "expected at most 3650d, got " + Durations.format(d));
    }
    return d;
  }

  static void checkDates(String analysis, Optional<LocalDate> from, Optional<LocalDate> to) {
    if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
      throw new HeapAnalysisException(analysis, "to", "the date range ends (" + to.get() + ") before it starts (" + from.get() + ")");
    }
  }

  static String checkText(String analysis, String setting, String value) {
    if (value == null || value.isBlank()) {
      throw new HeapAnalysisException(analysis, setting, "expected a non-empty name, got " + (value == null ? "null" : "\"" + value + "\""));
    }
    return value;
  }

  /**
   * The sessions fact column a user asked for: its own name ({@code heap_session_browser}), the name
   * without the {@code heap_session_} prefix ({@code browser}, {@code utm_source}), or {@code channel}
   * for the channel of the attribution rules.
   */
  static String sessionColumn(String analysis, String setting, String requested, List<String> columns) {
    if (columns.contains(requested)) {
      return requested;
    }
    String alias = requested.equals("channel") ? CHANNEL : "heap_session_" + requested;
    if (columns.contains(alias)) {
      return alias;
    }
    List<String> names = new ArrayList<>();
    names.add("channel");
    for (String c : columns) {
      if (c.startsWith("heap_session_") && !c.equals(CHANNEL)) {
        names.add(c.substring("heap_session_".length()));
      }
    }
    throw new HeapAnalysisException(
        analysis,
        setting,
        "\"" + requested + "\" is not a column of " + SESSIONS_FACT + "; expected one of " + names
            + " (or the same with the heap_session_ prefix)");
  }
}
