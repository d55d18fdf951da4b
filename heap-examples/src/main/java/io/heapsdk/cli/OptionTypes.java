package io.heapsdk.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values every command reads the same way, with messages that say what was expected (picocli's
 * own converters quote the Java exception instead).
 */
final class OptionTypes {
  private OptionTypes() {}

  /** A day such as {@code 2024-01-31}. */
  static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value.strip());
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("expected a date such as 2024-01-31, got \"" + value + "\"");
      }
    }
  }

  /** An instant such as {@code 2024-01-31T12:00:00Z}, or with an offset ({@code 2024-01-31T13:00:00+01:00}). */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return OffsetDateTime.parse(value.strip()).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("expected a UTC time such as 2024-01-31T12:00:00Z, got \"" + value + "\"");
      }
    }
  }

  /**
   * The comma-separated lists of {@code --steps}, {@code --exclude} and {@code --conversion-events},
   * split here rather than by picocli: its splitting treats quotes as grouping (and warns, naming Java
   * fields, when they are unbalanced), but a quote may be part of an event name. Each option may also
   * be repeated. Empty items are kept, for the analysis to refuse with their position.
   */
  static List<String> commaSeparated(List<String> values) {
    List<String> items = new ArrayList<>();
    for (String v : values) {
      items.addAll(List.of(v.split(",", -1)));
    }
    return items;
  }
}
