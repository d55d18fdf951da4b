package io.heapsdk.analysis;

import static io.heapsdk.testing.Rows.event;
import static io.heapsdk.testing.Rows.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A date range left open the way analysts write it: {@code to 9999-12-31}, {@code from 0001-01-01}.
 * Before, the end of 9999-12-31 (the start of the next day) was a timestamp literal of year 10000,
 * which H2 and DuckDB read as an earlier time: the funnel found nobody, exit 0. Dates past the years
 * SQL's timestamps hold are refused. Two users: user 1 does a then b on 2024-01-10 in a Direct session,
 * user 2 does a on 2024-01-11.
 */
class OpenDateRangeTest {
  private static final HeapConfig CONFIG = HeapConfig.builder().conversionEvents(List.of("b")).build();
  private static final LocalDate LAST = LocalDate.of(9999, 12, 31);
  private static final LocalDate FIRST = LocalDate.of(1, 1, 1);
  private static H2Db db;

  @BeforeAll
  static void build() {
    db = H2Db.create(CONFIG);
    db.insert(
        "sessions",
        session(1, 1, "2024-01-10T09:59:00", null, null, null, null),
        session(2, 2, "2024-01-11T09:59:00", null, null, null, null));
    db.insert(
        "all_events",
        event(11, 1, 1, "2024-01-10T10:00:00", "a"),
        event(12, 1, 1, "2024-01-10T11:00:00", "b"),
        event(21, 2, 2, "2024-01-11T10:00:00", "a"));
    db.buildStandard();
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void aFunnelToTheLastDayCountsEveryone() {
    Function<Funnel.Builder, List<Long>> entered =
        f -> new AnalysisRunner(Warehouses.H2, CONFIG).run(f.step("a").step("b").build(), db.connection()).rows().stream()
            .map(FunnelResult.Row::entered).toList();
    assertThat(entered.apply(Funnel.builder().to(LAST))).containsExactly(2L, 1L);
    assertThat(entered.apply(Funnel.builder().from(FIRST).to(LAST))).containsExactly(2L, 1L);
    assertThat(entered.apply(Funnel.builder().from(LocalDate.of(2024, 1, 11)).to(LAST))).containsExactly(1L, 0L);
  }

  @Test
  void anAttributionToTheLastDayCreditsTheConversion() {
    List<AttributionResult.Row> rows =
        new AnalysisRunner(Warehouses.H2, CONFIG)
            .run(Attribution.builder().model(AttributionModel.LAST_TOUCH).from(FIRST).to(LAST).build(), db.connection()).rows();
    assertThat(rows).extracting(AttributionResult.Row::label, AttributionResult.Row::conversions).containsExactly(org.assertj.core.groups.Tuple.tuple("Direct", 1.0));
  }

  @Test
  void aRetentionToTheLastDayHasEveryCohort() {
    for (Retention.Period period : Retention.Period.values()) {
      List<String> cohorts =
          new AnalysisRunner(Warehouses.H2, CONFIG)
              .run(Retention.builder().startEvent("a").period(period).from(FIRST).to(LAST).build(), db.connection()).rows().stream()
              .filter(r -> r.period() == 0).map(r -> r.cohort() + "=" + r.cohortSize()).toList();
      // both users start on a: one cohort per day, or both in the week and month of 2024-01-08 / 2024-01
      assertThat(cohorts).as(period.name())
          .containsExactlyElementsOf(
              switch (period) {
                case DAY -> List.of("2024-01-10=1", "2024-01-11=1");
                case WEEK -> List.of("2024-01-08=2");
                case MONTH -> List.of("2024-01-01=2");
              });
    }
  }

  @Test
  void aDatePastTheYearsOfSqlIsRefused() {
    assertThatThrownBy(() -> Funnel.builder().step("a").from(LocalDate.of(10000, 1, 1)).build())
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessageContaining("expected a date from 0001-01-01 to 9999-12-31, got +10000-01-01");
    assertThatThrownBy(() -> Retention.builder().to(LocalDate.of(0, 12, 31)).build())
        .isInstanceOf(HeapAnalysisException.class)
        .hasMessageContaining("expected a date from 0001-01-01 to 9999-12-31, got 0000-12-31");
  }
}
