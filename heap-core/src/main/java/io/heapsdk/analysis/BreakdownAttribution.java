package io.heapsdk.analysis;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Which event of a unit's counting attempt gives a funnel breakdown its value: the breakdown is a
 * column of the sessions fact, read in that event's session. Immutable.
 *
 * <ul>
 *   <li>{@link #first()} (the default): the attempt's first event, step 1 (with {@code any_order}: the
 *       attempt's first funnel event).
 *   <li>{@link #last()}: the event of the last step the attempt reached (the highest-numbered one).
 *   <li>{@link #step(int)}: the event of step {@code n}; a unit whose attempt did not reach step
 *       {@code n} has no value (NULL), so the breakdown's rows still add up to the funnel without it.
 * </ul>
 *
 * A session funnel has every step in one session: there only {@code step:N} differs from the others,
 * for the sessions that did not reach step N.
 */
public final class BreakdownAttribution {
  private static final BreakdownAttribution FIRST = new BreakdownAttribution(Kind.FIRST, 0);
  private static final BreakdownAttribution LAST = new BreakdownAttribution(Kind.LAST, 0);

  /** Where the value comes from. */
  public enum Kind {
    FIRST,
    LAST,
    STEP
  }

  private final Kind kind;
  private final int step;

  private BreakdownAttribution(Kind kind, int step) {
    this.kind = kind;
    this.step = step;
  }

  /** The session of the attempt's first event (the default). */
  public static BreakdownAttribution first() {
    return FIRST;
  }

  /** The session of the event of the last step the attempt reached. */
  public static BreakdownAttribution last() {
    return LAST;
  }

  /** The session of the event of step {@code n} (1-based); NULL for a unit that did not reach it. */
  public static BreakdownAttribution step(int n) {
    if (n < 1) {
      throw new HeapAnalysisException(Funnel.WHAT, "breakdownAttribution", "expected a step number from 1, got " + n);
    }
    return new BreakdownAttribution(Kind.STEP, n);
  }

  /** {@code first}, {@code last} or {@code step:N} (case-insensitive), as {@link #cliName()} writes them. */
  public static BreakdownAttribution parse(String text) {
    String t = Analyses.notNull(Funnel.WHAT, "breakdownAttribution", text, "first, last or step:N").strip().toLowerCase(Locale.ROOT);
    if (t.equals("first")) {
      return FIRST;
    }
    if (t.equals("last")) {
      return LAST;
    }
    if (t.startsWith("step:")) {
      String n = t.substring("step:".length());
      if (n.matches("[0-9]{1,3}")) {
        return step(Integer.parseInt(n));
      }
    }
    throw new HeapAnalysisException(Funnel.WHAT, "breakdownAttribution", "unknown attribution \"" + text + "\"; expected first, last or step:N (N a step number)");
  }

  public Kind kind() {
    return kind;
  }

  /** The step of {@link #step(int)}; empty for first and last. */
  public OptionalInt stepNumber() {
    return kind == Kind.STEP ? OptionalInt.of(step) : OptionalInt.empty();
  }

  /** {@code first}, {@code last} or {@code step:N}. */
  public String cliName() {
    return kind == Kind.STEP ? "step:" + step : kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BreakdownAttribution a && kind == a.kind && step == a.step;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, step);
  }

  @Override
  public String toString() {
    return cliName();
  }
}
