package io.heapsdk.sample;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a later batch of sample data holds, relative to the data already loaded: each count is a share
 * of the users a merge has not taken away ("live" users), rounded, and at least 1 when the share is
 * not 0. {@link #defaults()} touches about 5% of the users; {@link #sized} also caps the new
 * {@code all_events} rows at a share of those loaded, as a benchmark needs.
 *
 * @param newUsers users seen for the first time, as a share of live users
 * @param returningUsers existing users who come back with a new visit after the loaded data ends
 * @param lateEvents late rows dated one to two days before the loaded data's high-water mark: every
 *     other one an event added to an existing session of that time, the others a whole late visit
 * @param identityMerges merges of an anonymous user (a new one first) into an identified one
 * @param identicalResyncs identical copies of loaded rows, as Heap re-syncs them
 * @param laterResyncs copies of rows from the last two days before the mark, 1 to 120 seconds later
 * @param newEvents when present, the new {@code all_events} rows aimed at, as a share of those
 *     loaded: returning users get one-page visits once full ones would overshoot it
 * @param period how long after the loaded data the batch's new visits start: within this period
 */
public record BatchShape(
    double newUsers,
    double returningUsers,
    double lateEvents,
    double identityMerges,
    double identicalResyncs,
    double laterResyncs,
    OptionalDouble newEvents,
    Duration period) {

  public BatchShape {
    share("newUsers", newUsers);
    share("returningUsers", returningUsers);
    share("lateEvents", lateEvents);
    share("identityMerges", identityMerges);
    share("identicalResyncs", identicalResyncs);
    share("laterResyncs", laterResyncs);
    Objects.requireNonNull(newEvents, "newEvents");
    newEvents.ifPresent(s -> share("newEvents", s));
    Objects.requireNonNull(period, "period");
    if (period.getSeconds() < 1 || period.getSeconds() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("period must be from 1 second to 68 years, got " + period);
    }
  }

  /** About 5% of the users touched, over one day: {@link #touching touching(0.05)}. */
  public static BatchShape defaults() {
    return touching(0.05);
  }

  /**
   * A day's batch touching about {@code userShare} of the users: of them 72% come back, 10% are new,
   * 10% get late rows, 2% each an identical and a later re-sync, and 2% of them are merged into an
   * existing user; overlaps make the share touched slightly smaller.
   */
  public static BatchShape touching(double userShare) {
    share("userShare", userShare);
    return new BatchShape(
        0.10 * userShare, 0.72 * userShare, 0.10 * userShare, 0.02 * userShare, 0.02 * userShare,
        0.02 * userShare, OptionalDouble.empty(), Duration.ofDays(1));
  }

  /**
   * About {@code eventShare} new {@code all_events} rows (of those loaded) touching about
   * {@code userShare} of the users, e.g. {@code sized(0.01, 0.05)}; see {@link #touching}.
   */
  public static BatchShape sized(double eventShare, double userShare) {
    return touching(userShare).withNewEvents(eventShare);
  }

  public BatchShape withNewEvents(double eventShare) {
    return new BatchShape(
        newUsers, returningUsers, lateEvents, identityMerges, identicalResyncs, laterResyncs,
        OptionalDouble.of(eventShare), period);
  }

  public BatchShape withPeriod(Duration newPeriod) {
    return new BatchShape(
        newUsers, returningUsers, lateEvents, identityMerges, identicalResyncs, laterResyncs, newEvents, newPeriod);
  }

  public BatchShape withIdentityMerges(double share) {
    return new BatchShape(
        newUsers, returningUsers, lateEvents, share, identicalResyncs, laterResyncs, newEvents, period);
  }

  /** {@code share} of {@code users}, rounded, at least 1 when the share is not 0, at most all of them. */
  static int count(double share, int users) {
    if (share == 0 || users == 0) {
      return 0;
    }
    return (int) Math.min(users, Math.max(1, Math.round(share * users)));
  }

  private static void share(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be a share from 0 to 1, got " + value);
    }
  }
}
