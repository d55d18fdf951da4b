package io.heapsdk.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.HeapRow;
import io.heapsdk.testing.HeapTestDatabase;
import io.heapsdk.warehouse.Warehouses;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Paths on H2 over the facts built from hand-made events and pageviews with the {@link HeapTestDatabase}
 * kit; every expected path, count and share is worked out by hand next to the data. Rows are (rank,
 * steps, count, share).
 */
class PathsTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().ownDomain("example.com").build();

  /** Each user's events a minute apart from 10:00, in this order (one session per user). */
  private static final HeapRow[] EVENTS =
      concat(
          user(1, "home", "a", "a", "b", "c"),
          user(2, "x", "home", "a", "b"),
          user(3, "home", "home", "c"),
          user(4, "home"),
          user(5, "a", "b"), // never home: no path
          user(6, "home", "b", "home", "a"),
          new HeapRow[] {
            // user 7: b and a at the same second; b has the smaller id, so it comes first
            event(701, 7, 70, "2024-01-10T10:00:00", "home"),
            event(703, 7, 70, "2024-01-10T10:01:00", "a"),
            event(702, 7, 70, "2024-01-10T10:01:00", "b"),
          },
          user(8, "a", "b", "c", "home"),
          user(9, "c", "c", "b", "home", "a"));

  @Test
  void theStepsAfterTheFirstAnchorWithRepeatsCollapsed() {
    // (repeats collapsed) 1: home a b c → a b; 2: a b; 3: home c → c -; 4: - -; 6: b home (from the first
    // home); 7: b a; 8: nothing after home → - -; 9: a -. 8 users.
    // count 2: (a b), (- -): a before NULL; count 1 by step 1, then step 2: (a -), (b a), (b home), (c -)
    Paths after = Paths.builder().event("home").steps(2).build();
    assertThat(run(EVENTS, after))
        .containsExactly(
            row(1, 2, 8, "a", "b"),
            row(2, 2, 8, null, null),
            row(3, 1, 8, "a", null),
            row(4, 1, 8, "b", "a"),
            row(5, 1, 8, "b", "home"),
            row(6, 1, 8, "c", null));
    // the top 2; shares stay shares of all 8 users
    assertThat(run(EVENTS, after.toBuilder().top(2).build())).containsExactly(row(1, 2, 8, "a", "b"), row(2, 2, 8, null, null));
  }

  @Test
  void repeatsMayBeKept() {
    // 1: a a; 2: a b; 3: home c (the second home is a step); 4: - -; 6: b home; 7: b a; 8: - -; 9: a -
    assertThat(run(EVENTS, Paths.builder().event("home").steps(2).collapseRepeats(false).build()))
        .containsExactly(
            row(1, 2, 8, null, null),
            row(2, 1, 8, "a", "a"),
            row(3, 1, 8, "a", "b"),
            row(4, 1, 8, "a", null),
            row(5, 1, 8, "b", "a"),
            row(6, 1, 8, "b", "home"),
            row(7, 1, 8, "home", "c"));
  }

  @Test
  void excludedItemsAreLeftOutBeforeRepeatsCollapse() {
    // without x and c: 1: home a a b → a b; 2: home a b → a b; 3: home home → one home, - -; 4: - -;
    // 6: b home; 7: b a; 8: a b home → - -; 9: b home a → a -
    assertThat(run(EVENTS, Paths.builder().event("home").steps(2).exclude("x", "c").build()))
        .containsExactly(
            row(1, 3, 8, null, null),
            row(2, 2, 8, "a", "b"),
            row(3, 1, 8, "a", null),
            row(4, 1, 8, "b", "a"),
            row(5, 1, 8, "b", "home"));
  }

  @Test
  void theStepsBeforeTheFirstAnchorInTimeOrder() {
    // 1, 3, 4, 6, 7: home comes first → - -; 2: x home → - x; 8: a b c home → b c; 9: c c b home → c b
    assertThat(run(EVENTS, Paths.builder().event("home").steps(2).direction(Paths.Direction.BEFORE).build()))
        .containsExactly(
            row(1, 5, 8, null, null),
            row(2, 1, 8, "b", "c"),
            row(3, 1, 8, "c", "b"),
            row(4, 1, 8, null, "x"));
  }

  @Test
  void aSessionHasAPathOfItsOwn() {
    HeapRow[] events = {
      // user 1: session 11 home a, session 12 home b, session 13 a only; user 2: session 21 home a
      event(1, 1, 11, "2024-01-10T10:00:00", "home"), event(2, 1, 11, "2024-01-10T10:01:00", "a"),
      event(3, 1, 12, "2024-01-10T12:00:00", "home"), event(4, 1, 12, "2024-01-10T12:01:00", "b"),
      event(5, 1, 13, "2024-01-10T14:00:00", "a"),
      event(6, 2, 21, "2024-01-10T10:00:00", "home"), event(7, 2, 21, "2024-01-10T10:01:00", "a"),
    };
    Paths oneStep = Paths.builder().event("home").steps(1).build();
    // per user: both users' first home is followed by a
    assertThat(run(events, oneStep)).containsExactly(row(1, 2, 2, "a"));
    // per session: sessions 11 and 21 → a, 12 → b; 13 has no home
    assertThat(run(events, oneStep.toBuilder().unit(Funnel.Unit.SESSION).build())).containsExactly(row(1, 2, 3, "a"), row(2, 1, 3, "b"));
  }

  @Test
  void pagePathsFromThePageviewsFact() {
    HeapRow[] pageviews = {
      // 1: /home, a reload, /pricing, /signup; 2: /home, /docs; 3: /pricing, /home
      pageview(1, 1, "10:00", "/home"), pageview(2, 1, "10:01", "/home"), pageview(3, 1, "10:02", "/pricing"), pageview(4, 1, "10:03", "/signup"),
      pageview(5, 2, "10:00", "/home"), pageview(6, 2, "10:01", "/docs"),
      pageview(7, 3, "10:00", "/pricing"), pageview(8, 3, "10:01", "/home"),
    };
    Paths pages = Paths.builder().event("/home").steps(2).source(Paths.Source.PAGEVIEWS).build();
    // 1: /pricing /signup; 2: /docs -; 3: - -
    assertThat(run(pageviews, pages))
        .containsExactly(row(1, 1, 3, "/docs", null), row(2, 1, 3, "/pricing", "/signup"), row(3, 1, 3, null, null));
    // the reload kept: 1: /home /pricing
    assertThat(run(pageviews, pages.toBuilder().collapseRepeats(false).build()))
        .containsExactly(row(1, 1, 3, "/docs", null), row(2, 1, 3, "/home", "/pricing"), row(3, 1, 3, null, null));
  }

  @Test
  void nobodyAtTheAnchorGivesNoRows() {
    assertThat(run(EVENTS, Paths.builder().event("checkout").build())).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private static List<Tuple> run(HeapRow[] rows, Paths paths) {
    try (HeapTestDatabase db = HeapTestDatabase.create(CONFIG)) {
      db.insert(rows);
      db.build(HeapProject.standard(CONFIG));
      PathsResult result = new AnalysisRunner(Warehouses.H2, CONFIG).run(paths, db.connection());
      assertThat(result.rows()).allMatch(r -> r.steps().size() == paths.steps());
      return result.rows().stream().map(r -> tuple(r.rank(), r.steps(), r.count(), round(r.share()))).toList();
    }
  }

  /** A row of the result: the share is {@code count / units}, worked out here. */
  private static Tuple row(int rank, long count, long units, String... steps) {
    return tuple(rank, Arrays.asList(steps), count, round((double) count / units));
  }

  /** The user's events a minute apart from 10:00 on 2024-01-10, ids {@code user * 100 + i}, in session {@code user * 10}. */
  private static HeapRow[] user(long user, String... names) {
    HeapRow[] rows = new HeapRow[names.length];
    for (int i = 0; i < names.length; i++) {
      rows[i] = event(user * 100 + i + 1, user, user * 10, String.format("2024-01-10T10:%02d:00", i), names[i]);
    }
    return rows;
  }

  private static HeapRow event(long id, long user, long session, String time, String name) {
    return HeapRow.of("all_events").set("event_id", id).set("user_id", user).set("session_id", session).set("time", time).set("event_table_name", name);
  }

  private static HeapRow pageview(long id, long user, String time, String path) {
    return HeapRow.of("pageviews")
        .set("event_id", id).set("user_id", user).set("session_id", user * 10).set("time", "2024-01-10T" + time + ":00").set("path", path);
  }

  private static HeapRow[] concat(HeapRow[]... parts) {
    List<HeapRow> all = new ArrayList<>();
    for (HeapRow[] p : parts) {
      all.addAll(List.of(p));
    }
    return all.toArray(HeapRow[]::new);
  }

  /** Shares are compared to 12 decimals: 1.0 / 3 computed in SQL and in Java may differ in the last bit. */
  private static double round(double v) {
    return Math.round(v * 1e12) / 1e12;
  }
}
