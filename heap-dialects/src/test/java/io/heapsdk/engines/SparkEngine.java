package io.heapsdk.engines;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.run.SourceTables;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark SQL in local mode with Delta Lake, as an engine the cross-engine tests build the models on:
 * one session per test JVM (starting one costs seconds), the rendered statements of a {@link BuildPlan}
 * executed one by one through {@code spark.sql}, as the JDBC runner executes them on the other engines
 * (Spark has no transactions, and the Spark warehouse renders each fact's apply as one MERGE).
 *
 * <p>Spark has no JDBC server without Hive's Thrift server, so rows are read from the session and
 * handed to {@link RowMultiset} as values: timestamps (Spark's {@code TIMESTAMP} is an instant, shown
 * in the session time zone, UTC here) become the UTC {@link LocalDateTime} the JDBC engines return.
 */
final class SparkEngine {
  static final Warehouse WAREHOUSE = Warehouses.SPARK;

  private static SparkSession session;

  private SparkEngine() {}

  /** The session of this JVM, started on first use. */
  static synchronized SparkSession session() {
    if (session == null) {
      Path warehouseDir = tempDir();
      session =
          SparkSession.builder()
              .appName("heap-cross-engine")
              .master("local[2]")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              // the sample is small: two partitions per shuffle, not 200
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.sql.session.timeZone", "UTC")
              // a few thousand rows per table: compiling each query's generated Java (Janino) costs more
              // than running it interpreted (this class's scenarios took 167 s against 199 s, one JVM alone);
              // the results are Spark's either way, and the SQL under test is the same
              .config("spark.sql.codegen.wholeStage", "false")
              .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
              // one session, so no per-session artifact isolation (on by default since Spark 4.0): with
              // it, the executor's class loader asks the driver for the names Janino probes while
              // compiling generated code, and the task fails with a RemoteClassLoaderError
              .config("spark.sql.artifact.isolation.enabled", "false")
              // TIMESTAMP values as java.time.Instant, DATE as java.time.LocalDate
              .config("spark.sql.datetime.java8API.enabled", "true")
              .config("spark.sql.warehouse.dir", warehouseDir.toUri().toString())
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              // a Delta table's log is read in one partition: these tables have a handful of commits
              .config("spark.databricks.delta.snapshotPartitions", "1")
              // on tables of a few thousand rows, re-planning each query stage by its measured size (adaptive
              // execution) and gathering Delta's per-file column statistics on every write (for data
              // skipping) cost more than they save: this class took 158 s with both off against 232 s with
              // both on, run alone one after the other (and 166 / 201 s against 199 / 236 s with one
              // partition per shuffle as well, which adds nothing and would hide a result that depends on
              // how rows are split). Neither changes a query's rows nor a MERGE's operation metrics
              .config("spark.sql.adaptive.enabled", "false")
              .config("spark.databricks.delta.stats.collect", "false")
              .getOrCreate();
    }
    return session;
  }

  /** Drops the config's source and target schemas with their tables, so a scenario starts empty. */
  static void reset(HeapConfig config) {
    for (String schema : List.of(config.sourceSchema(), config.targetSchema())) {
      execute("DROP SCHEMA IF EXISTS " + WAREHOUSE.quote(schema) + " CASCADE");
    }
  }

  /** Creates the source tables with the DDL rendered for Spark and loads {@code rows} into them. */
  static void load(HeapConfig config, Map<String, List<Object[]>> rows) {
    new SourceTables(WAREHOUSE, config).createStatements().forEach(SparkEngine::execute);
    rows.forEach((table, r) -> insert(config, table, r));
  }

  /** Appends rows (catalog column order, as {@link SourceTables#insert} takes them) to a source table. */
  static void insert(HeapConfig config, String table, List<Object[]> rows) {
    SourceTable t = config.catalog().table(table);
    String name = WAREHOUSE.qualified(config.sourceDatabase(), config.sourceSchema(), t.physicalName());
    StructType schema = session().table(name).schema();
    List<Row> converted = new ArrayList<>(rows.size());
    for (Object[] row : rows) {
      Object[] values = new Object[row.length];
      for (int i = 0; i < row.length; i++) {
        values[i] = sparkValue(row[i], schema.fields()[i].dataType());
      }
      converted.add(RowFactory.create(values));
    }
    session().createDataFrame(converted, schema).write().insertInto(name);
  }

  private static Object sparkValue(Object v, DataType type) {
    if (v instanceof LocalDateTime t) {
      // the sample's times are UTC wall-clock times
      return t.toInstant(ZoneOffset.UTC);
    } else if (v instanceof Number n && type.equals(DataTypes.LongType)) {
      return n.longValue();
    } else if (v instanceof Number n && type.equals(DataTypes.DoubleType)) {
      return n.doubleValue();
    }
    return v;
  }

  /** Runs every statement of a full refresh or an incremental run of {@code plan}, in order. */
  static BuildPlan run(ProjectPlan plan, BuildPlan.Mode mode) {
    BuildPlan build = BuildPlan.of(WAREHOUSE, plan, mode);
    for (BuildPlan.Step step : build.steps()) {
      step.statements().forEach(SparkEngine::execute);
    }
    return build;
  }

  static void execute(String sql) {
    try {
      // DDL and DML run when spark.sql returns; a query would only be planned
      session().sql(sql);
    } catch (RuntimeException e) {
      throw new IllegalStateException("Spark refused: " + sql, e);
    }
  }

  /** The rows of a query: column labels, then one value array per row, timestamps as UTC LocalDateTime. */
  static Result query(String sql) {
    Dataset<Row> df;
    List<Row> rows;
    try {
      df = session().sql(sql);
      rows = df.collectAsList();
    } catch (RuntimeException e) {
      throw new IllegalStateException("Spark refused: " + sql, e);
    }
    List<String> labels = Arrays.asList(df.schema().fieldNames());
    List<Object[]> values = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Object[] line = new Object[r.length()];
      for (int i = 0; i < line.length; i++) {
        Object v = r.get(i);
        line[i] = v instanceof Instant t ? LocalDateTime.ofInstant(t, ZoneOffset.UTC) : v;
      }
      values.add(line);
    }
    return new Result(labels, values);
  }

  /** A query's column labels and rows. */
  record Result(List<String> labels, List<Object[]> rows) {}

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("heap-spark-warehouse");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temporary directory is harmless
    }
  }
}
