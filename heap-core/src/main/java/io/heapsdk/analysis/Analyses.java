package io.heapsdk.analysis;

import io.heapsdk.internal.NearestNames;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.UserText;
import io.heapsdk.model.standard.StandardModels;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

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

  /** The dates a warehouse's timestamps hold (SQL's years 1 to 9999). */
  static final LocalDate FIRST_DATE = LocalDate.of(1, 1, 1);
  static final LocalDate LAST_DATE = LocalDate.of(9999, 12, 31);

  static void checkDates(String analysis, Optional<LocalDate> from, Optional<LocalDate> to) {
    checkDate(analysis, "from", from);
    checkDate(analysis, "to", to);
    if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
      throw new HeapAnalysisException(analysis, "to", "the date range ends (" + to.get() + ") before it starts (" + from.get() + ")");
    }
  }

  private static void checkDate(String analysis, String setting, Optional<LocalDate> date) {
    if (date.isPresent() && (date.get().isBefore(FIRST_DATE) || date.get().isAfter(LAST_DATE))) {
      throw new HeapAnalysisException(analysis, setting, "expected a date from " + FIRST_DATE + " to " + LAST_DATE + ", got " + date.get());
    }
  }

  /**
   * The start of {@code day} as a bound on event times, or none where the day is past 9999-12-31: no
   * time is later, and the literal of year 10000 is one no warehouse reads as such. A range {@code --to
   * 9999-12-31} (an open end, as analysts write it) ends before the next day, which found nobody.
   */
  static Optional<java.time.LocalDateTime> startOf(LocalDate day) {
    return startOf(day, java.time.ZoneOffset.UTC);
  }

  /**
   * The start of {@code day} in {@code zone} as a bound on (UTC) event times: its first moment there,
   * daylight saving time included (a day whose midnight a change skips starts at the first time it has),
   * in UTC; none where that is outside SQL's years 1 to 9999.
   */
  static Optional<java.time.LocalDateTime> startOf(LocalDate day, java.time.ZoneId zone) {
    if (day.isAfter(LAST_DATE) || day.isBefore(FIRST_DATE)) {
      return Optional.empty();
    }
    java.time.LocalDateTime utc = day.atStartOfDay(zone).withZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime();
    return utc.toLocalDate().isAfter(LAST_DATE) || utc.toLocalDate().isBefore(FIRST_DATE) ? Optional.empty() : Optional.of(utc);
  }

  /**
   * Zone names that are also abbreviations of PostgreSQL's default set with another meaning: its {@code AT
   * TIME ZONE} reads {@code 'CET'} as UTC+01 all year, where the zone CET has summer time.
   */
  private static final java.util.Set<String> PG_ABBREVIATIONS = java.util.Set.of("CET", "MET", "WET", "EET");

  /**
   * A zone an analysis may count days in: UTC, or a zone of the IANA database by its name ({@code
   * Europe/Paris}), which every warehouse reads the same way. A bare offset ({@code +05:00}) is refused:
   * PostgreSQL reads {@code '+05:00'} in {@code AT TIME ZONE} as five hours west of UTC (POSIX), the other
   * warehouses as east.
   */
  static java.time.ZoneId checkTimeZone(String analysis, java.time.ZoneId zone) {
    notNull(analysis, "time_zone", zone, "a time zone such as Europe/Paris");
    if (zone.normalized().equals(java.time.ZoneOffset.UTC)) {
      // one UTC, however named: analyses in Etc/UTC and in the default are equal
      return java.time.ZoneOffset.UTC;
    }
    String id = zone.getId();
    if (PG_ABBREVIATIONS.contains(id)) {
      throw new HeapAnalysisException(
          analysis, "time_zone",
          id + " is also an abbreviation, which PostgreSQL reads as a fixed offset without summer time (its AT TIME ZONE looks"
              + " abbreviations up first): name a city's zone, such as Europe/Paris, Europe/Athens or Europe/Lisbon");
    }
    if (id.startsWith("SystemV/")) {
      throw new HeapAnalysisException(
          analysis, "time_zone", id + " was dropped from the IANA zone database in 2020, and warehouses need not know it: name a city's zone");
    }
    if (zone instanceof java.time.ZoneOffset || !java.time.ZoneId.getAvailableZoneIds().contains(zone.getId())) {
      throw new HeapAnalysisException(
          analysis, "time_zone",
          "expected the name of a time zone such as Europe/Paris or America/New_York (IANA), got " + zone.getId()
              + ": warehouses read a bare offset differently (PostgreSQL counts +05:00 west of UTC); a fixed offset is Etc/GMT-5"
              + " for UTC+05:00 (the IANA names' sign is reversed), or a city's zone");
    }
    return zone;
  }

  static String checkText(String analysis, String setting, String value) {
    if (value == null || value.isBlank()) {
      throw new HeapAnalysisException(analysis, setting, "expected a non-empty name, got " + (value == null ? "null" : "\"" + value + "\""));
    }
    // the config's rule for text a warehouse must store: no NUL, no unpaired surrogate
    UserText.problem(value).ifPresent(problem -> {
      throw new HeapAnalysisException(analysis, setting, problem);
    });
    return value;
  }

  /** {@code value}, or a HeapAnalysisException saying the setting was given null. */
  static <T> T notNull(String analysis, String setting, T value, String expected) {
    if (value == null) {
      throw new HeapAnalysisException(analysis, setting, "expected " + expected + ", got null");
    }
    return value;
  }

  /**
   * Breakdowns worth suggesting: the session attributes a report is split by. The fact's ids, times,
   * counts and window columns are accepted too, but nobody breaks a funnel down by a session id.
   */
  static final List<String> SUGGESTED_BREAKDOWNS =
      List.of(
          "channel", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "landing_page",
          "landing_page_query", "browser", "platform", "device_type", "device", "country", "region", "city", "library");

  /**
   * A breakdown as the analyses keep it: checked against the columns the sessions fact has under some
   * config and lower-cased ({@code UTM_SOURCE} is {@code utm_source}: the fact's columns are lower case,
   * and no warehouse here tells them apart by case).
   */
  static String checkBreakdown(String analysis, String setting, String requested) {
    checkText(analysis, setting, requested);
    String name = requested.strip().toLowerCase(Locale.ROOT);
    boolean heaps = name.equals("channel") || StandardModels.isSessionsFactColumn(name) || StandardModels.isSessionsFactColumn("heap_session_" + name);
    // heap_*, funnel_step_*, conversion_look*: the fact's own names, judged here
    boolean heapsShape = name.startsWith("heap_") || name.startsWith("funnel_step_") || name.startsWith("conversion_look");
    if (!heaps && !heapsShape && NearestNames.of(name, SUGGESTED_BREAKDOWNS).isEmpty()) {
      // no Heap column and none it could be a misspelling of: a session property's (source.session_properties),
      // which only the config knows, so validate(config) judges it, by its name as written
      return requested.strip();
    }
    sessionColumn(analysis, setting, name, StandardModels::isSessionsFactColumn, "", List.of());
    return name;
  }

  /** The breakdown checked against the sessions fact of {@code config}: the columns of a funnel step or window. */
  static void checkBreakdown(String analysis, String setting, String breakdown, HeapConfig config) {
    List<String> columns = StandardModels.sessionsFactColumns(config);
    // the config's session properties are suggested too (a mistyped キャンペーン種別 was offered Heap's names only)
    List<String> properties = config.sessionProperties().stream().map(io.heapsdk.source.PassThroughColumn::name).toList();
    sessionColumn(analysis, setting, breakdown, columns::contains, " with this config", properties);
  }

  /**
   * The sessions fact column a user asked for: its own name ({@code heap_session_browser}), the name
   * without the {@code heap_session_} prefix ({@code browser}, {@code utm_source}), or {@code channel}
   * (or {@code heap_session_channel}) for the channel of the attribution rules; case is ignored.
   */
  static String sessionColumn(String analysis, String setting, String requested, List<String> columns) {
    return sessionColumn(analysis, setting, requested, columns::contains, "", List.of());
  }

  /** @param properties the config's session properties, suggested beside Heap's columns */
  private static String sessionColumn(
      String analysis, String setting, String requested, Predicate<String> isColumn, String qualifier, List<String> properties) {
    String name = requested.strip().toLowerCase(Locale.ROOT);
    // channel with the prefix too: the refusal offers every suggested name with it
    boolean channel = name.equals("channel") || name.equals("heap_session_channel");
    // a session property first, by its name as the config lists it (CampaignType, 会員ランク)
    for (String candidate : List.of(requested.strip(), name, channel ? CHANNEL : "heap_session_" + name)) {
      if (isColumn.test(candidate)) {
        return candidate;
      }
    }
    List<String> suggested = new java.util.ArrayList<>(SUGGESTED_BREAKDOWNS);
    suggested.addAll(properties);
    throw new HeapAnalysisException(
        analysis,
        setting,
        "\"" + requested + "\" is not a column of " + SESSIONS_FACT + qualifier
            + NearestNames.didYouMean(
                requested.strip(), suggested, "expected one of", SUGGESTED_BREAKDOWNS + " (or the same with the heap_session_ prefix),"
                    + " or a session property listed under source.session_properties" + (properties.isEmpty() ? "" : " " + properties)));
  }
}
