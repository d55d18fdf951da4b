package io.heapsdk.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.testing.LocalEngines;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every source table loaded on H2 (JDBC batches), DuckDB (its appender) and PostgreSQL (COPY) with values
 * that trip up text formats and type conversions, then read back: each engine must return exactly the
 * values that went in.
 */
class BulkInsertTest {
  private static final List<String> STRINGS =
      Arrays.asList(
          "",
          "plain",
          "double \" and single ' quotes, \"\"",
          "back\\slash \\N \\. \\\\",
          "\\.",
          "line one\nline two\r\nthree\rfour",
          "comma, semicolon; tab\there",
          "👩\u200D💻 sign-up 🇯🇵",
          "𠮷野家で購入 中文字符 한국어",
          "NULL",
          " padded ",
          null);
  private static final List<Long> LONGS = Arrays.asList(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE + 1, 42L, null);
  private static final List<Double> DOUBLES = Arrays.asList(0.1, -2.5e-300, 1.7976931348623157e308, 123456.789, -0.5, null);
  private static final List<Boolean> BOOLEANS = Arrays.asList(true, false, null);
  private static final List<LocalDateTime> TIMESTAMPS =
      Arrays.asList(
          LocalDateTime.parse("2024-01-10T10:00:00.123456"),
          LocalDateTime.parse("1970-01-01T00:00:00"),
          LocalDateTime.parse("2099-12-31T23:59:59.999999"),
          LocalDateTime.parse("1901-02-28T01:02:03.000001"),
          LocalDateTime.parse("2024-02-29T12:30:45.5"),
          null);
  private static final int ROWS = 60;

  private static Connection open(String engine) throws SQLException {
    return LocalEngines.open(engine, "heap_bulk_insert");
  }

  private static Warehouse warehouse(String engine) {
    return LocalEngines.warehouse(engine);
  }

  /** Row i takes the i-th value (cyclically) of its column type's list: every value in every column. */
  private static List<Object[]> rows(SourceTable t) {
    List<Object[]> rows = new ArrayList<>();
    for (int r = 0; r < ROWS; r++) {
      Object[] row = new Object[t.columns().size()];
      for (int i = 0; i < row.length; i++) {
        // the column index shifts the cycle, so columns of one row do not move in lockstep
        int k = r + i;
        switch (t.columns().get(i).type()) {
          case BIGINT:
            row[i] = LONGS.get(k % LONGS.size());
            break;
          case DOUBLE:
            row[i] = DOUBLES.get(k % DOUBLES.size());
            break;
          case BOOLEAN:
            row[i] = BOOLEANS.get(k % BOOLEANS.size());
            break;
          case TIMESTAMP:
            row[i] = TIMESTAMPS.get(k % TIMESTAMPS.size());
            break;
          default:
            row[i] = STRINGS.get(k % STRINGS.size());
        }
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<String> readBack(Connection c, Warehouse w, HeapConfig config, SourceTable t) throws SQLException {
    List<SourceColumn> cols = t.columns();
    String sql =
        "SELECT " + cols.stream().map(col -> w.quote(col.physicalName())).collect(Collectors.joining(", "))
            + " FROM " + w.qualified(config.sourceDatabase(), config.sourceSchema(), t.physicalName());
    List<String> result = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        Object[] row = new Object[cols.size()];
        for (int i = 0; i < row.length; i++) {
          switch (cols.get(i).type()) {
            case BIGINT:
              row[i] = rs.getLong(i + 1);
              break;
            case DOUBLE:
              row[i] = rs.getDouble(i + 1);
              break;
            case BOOLEAN:
              row[i] = rs.getBoolean(i + 1);
              break;
            case TIMESTAMP:
              row[i] = rs.getObject(i + 1, LocalDateTime.class);
              break;
            default:
              row[i] = rs.getString(i + 1);
          }
          if (rs.wasNull()) {
            row[i] = null;
          }
        }
        result.add(Arrays.toString(row));
      }
    }
    result.sort(null);
    return result;
  }

  private static List<String> asText(List<Object[]> rows) {
    return rows.stream().map(Arrays::toString).sorted().collect(Collectors.toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void everyTableReadsBackExactlyWhatWentIn(String engine) throws SQLException {
    HeapConfig config = HeapConfig.defaults();
    Warehouse w = warehouse(engine);
    try (Connection c = open(engine)) {
      // H2 has no fast path of its own beyond the JDBC batch; the others must take theirs
      assertThat(BulkInsert.of(c) != null).isEqualTo(!engine.equals("h2"));
      SourceTables tables = new SourceTables(w, config);
      tables.create(c);
      for (SourceTable t : config.catalog().tables()) {
        List<Object[]> rows = rows(t);
        assertThat(BulkInsert.fits(t.columns(), rows)).isTrue();
        assertThat(tables.insert(c, t.name(), rows)).isEqualTo(ROWS);
        assertThat(readBack(c, w, config, t)).as(t.name()).isEqualTo(asText(rows));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb", "postgres"})
  void aRollbackUndoesTheLoad(String engine) throws SQLException {
    HeapConfig config = HeapConfig.defaults();
    Warehouse w = warehouse(engine);
    try (Connection c = open(engine)) {
      SourceTables tables = new SourceTables(w, config);
      tables.create(c);
      SourceTable t = config.catalog().tables().get(0);
      c.setAutoCommit(false);
      tables.insert(c, t.name(), rows(t));
      c.rollback();
      c.setAutoCommit(true);
      assertThat(readBack(c, w, config, t)).isEmpty();
    }
  }

  // not PostgreSQL: its driver sends a String as varchar, which a bigint column refuses either way
  @ParameterizedTest
  @ValueSource(strings = {"h2", "duckdb"})
  void valuesTheFastPathsDoNotTakeGoTheBatchWay(String engine) throws SQLException {
    HeapConfig config = HeapConfig.defaults();
    Warehouse w = warehouse(engine);
    SourceTable t = config.catalog().tables().get(0);
    List<Object[]> rows = rows(t);
    int bigint = -1;
    for (int i = 0; i < t.columns().size(); i++) {
      if (t.columns().get(i).type() == io.heapsdk.source.ColumnType.BIGINT) {
        bigint = i;
      }
    }
    assertThat(bigint).isGreaterThanOrEqualTo(0);
    // a numeric string for a BIGINT column: JDBC converts it, the appender would not
    rows.get(0)[bigint] = "7";
    assertThat(BulkInsert.fits(t.columns(), rows)).isFalse();
    try (Connection c = open(engine)) {
      SourceTables tables = new SourceTables(w, config);
      tables.create(c);
      assertThat(tables.insert(c, t.name(), rows)).isEqualTo(ROWS);
      rows.get(0)[bigint] = 7L;
      assertThat(readBack(c, w, config, t)).isEqualTo(asText(rows));
    }
  }

  @org.junit.jupiter.api.Test
  void timestampsOutsideYears1To9999GoTheBatchWay() {
    SourceTable t = HeapConfig.defaults().catalog().tables().get(0);
    List<Object[]> rows = rows(t);
    for (int i = 0; i < t.columns().size(); i++) {
      if (t.columns().get(i).type() == io.heapsdk.source.ColumnType.TIMESTAMP) {
        rows.get(0)[i] = LocalDateTime.parse("+10000-01-01T00:00:00");
        assertThat(BulkInsert.fits(t.columns(), rows)).isFalse();
        return;
      }
    }
    throw new AssertionError(t.name() + " has no TIMESTAMP column");
  }
}
