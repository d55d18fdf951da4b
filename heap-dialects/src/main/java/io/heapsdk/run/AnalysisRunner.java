package io.heapsdk.run;

import io.heapsdk.analysis.Attribution;
import io.heapsdk.analysis.AttributionResult;
import io.heapsdk.analysis.Funnel;
import io.heapsdk.analysis.FunnelResult;
import io.heapsdk.analysis.FunnelTrend;
import io.heapsdk.analysis.FunnelTrendResult;
import io.heapsdk.analysis.HeapAnalysisException;
import io.heapsdk.analysis.Paths;
import io.heapsdk.analysis.PathsResult;
import io.heapsdk.analysis.Retention;
import io.heapsdk.analysis.RetentionResult;
import io.heapsdk.analysis.Step;
import io.heapsdk.analysis.TimeToConvert;
import io.heapsdk.analysis.TimeToConvertResult;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Model;
import io.heapsdk.model.standard.StandardModels;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders funnels (their steps, trends and times to convert), attributions, retentions and paths as
 * one SELECT for a warehouse and runs them on a JDBC connection, reading the facts a {@link JdbcRunner}
 * built in the config's target schema.
 *
 * <p>Each analysis is planned as a model ({@value #FUNNEL_MODEL}, {@value #ATTRIBUTION_MODEL},
 * {@value #RETENTION_MODEL} or {@value #PATHS_MODEL}) next to the project's own models, which the
 * project itself never sees: an attribution may read its conversions from one of the user's models.
 * Immutable and thread-safe; the connections it is given are used by one call at a time.
 *
 * <p>On an engine that evaluates a CTE again at each reference ({@link
 * Warehouse#evaluatesCtePerReference}, H2), running an analysis stores each CTE that is read more than
 * once (found on the plan, as a build finds them: {@link SqlRenderer#selectStoringShared}) in a
 * temporary table of the session first, named as the CTE in the connection's current schema, indexed
 * on the columns joins look it up by and dropped afterwards, then runs the rest of the same SELECT: the
 * rows are the same, the shared part is computed once. Not when the caller holds a transaction open
 * (creating a table would commit it): then the one SELECT runs.
 */
public final class AnalysisRunner {
  private static final Logger LOG = LoggerFactory.getLogger(AnalysisRunner.class);

  /** The model name a funnel is planned under; its CTEs are called {@code funnel_…}. */
  public static final String FUNNEL_MODEL = "funnel";

  /** The model name an attribution is planned under; its CTEs are called {@code attribution_…}. */
  public static final String ATTRIBUTION_MODEL = "attribution";

  /** The model name a retention is planned under; its CTEs are called {@code retention_…}. */
  public static final String RETENTION_MODEL = "retention";

  /** The model name a paths analysis is planned under; its CTEs are called {@code paths_…}. */
  public static final String PATHS_MODEL = "paths";
  /** The model name a funnel trend is planned under; its CTEs are called {@code funnel_trend_…}. */
  public static final String FUNNEL_TREND_MODEL = "funnel_trend";

  /** The model name a time to convert is planned under; its CTEs are called {@code time_to_convert_…}. */
  public static final String TIME_TO_CONVERT_MODEL = "time_to_convert";

  private final Warehouse warehouse;
  private final HeapProject project;

  /** Analyses over {@code project}'s models (at least the standard facts). */
  public AnalysisRunner(Warehouse warehouse, HeapProject project) {
    this.warehouse = Objects.requireNonNull(warehouse, "AnalysisRunner: warehouse");
    this.project = Objects.requireNonNull(project, "AnalysisRunner: project");
  }

  /** Analyses over the standard models of {@code config}. */
  public AnalysisRunner(Warehouse warehouse, HeapConfig config) {
    this(warehouse, HeapProject.standard(Objects.requireNonNull(config, "AnalysisRunner: config")));
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  /**
   * Which of {@code names} some event of the events fact is named, matched exactly as the analyses match
   * them (case included), in one {@code SELECT DISTINCT … WHERE name IN (…)} over the fact. A funnel step
   * or conversion event no event has counts nobody, which reads like a result ("nobody reached step 3"):
   * ask before trusting a zero. {@code heap funnel} and {@code heap attribution} say it on standard error.
   */
  public Set<String> eventNamesFound(Collection<String> names, Connection connection) {
    // the events fact's name column, as the analyses read it
    return valuesFound(StandardModels.EVENTS_FACT, "heap_event_name", names, connection, "event names");
  }

  /**
   * Which of {@code paths} a pageview of the pageview sessions fact has as its path ({@code
   * heap_pageview_path}, what {@code Paths} over pageviews steps through): for saying that a path a
   * pageview analysis starts from is no page's.
   */
  public Set<String> pagePathsFound(Collection<String> paths, Connection connection) {
    return valuesFound(StandardModels.PAGEVIEW_SESSIONS_FACT, "heap_pageview_path", paths, connection, "page paths");
  }

  private Set<String> valuesFound(String fact, String column, Collection<String> values, Connection connection, String what) {
    Set<String> found = new HashSet<>();
    if (values.isEmpty()) {
      return found;
    }
    HeapConfig c = project.config();
    String name = warehouse.quote(column);
    String table = warehouse.table(c.targetDatabase(), c.targetSchema(), fact).qualified();
    StringBuilder in = new StringBuilder();
    for (String n : new LinkedHashSet<>(values)) {
      in.append(in.length() == 0 ? "" : ", ").append(warehouse.literal(n));
    }
    String sql = "SELECT DISTINCT " + name + " FROM " + table + " WHERE " + name + " IN (" + in + ")";
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        found.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw HeapRunException.analysis(what, warehouse.name(), sql, e);
    }
    return found;
  }

  /**
   * The steps of {@code funnel} that name an event no event of the events fact has ({@link
   * #eventNamesFound}); steps given as a predicate are the caller's own and never listed. Empty when
   * every named step occurs.
   */
  public List<Step> stepsNamingNoEvent(Funnel funnel, Connection connection) {
    List<String> names = funnel.steps().stream().flatMap(s -> s.eventName().stream()).collect(Collectors.toList());
    Set<String> found = eventNamesFound(names, connection);
    return funnel.steps().stream().filter(s -> s.eventName().isPresent() && !found.contains(s.eventName().get())).collect(Collectors.toList());
  }

  /** The funnel's SELECT for this warehouse: one row per step (and breakdown value). */
  public String sql(Funnel funnel) {
    return rendered(funnel).sql();
  }

  private Rendered rendered(Funnel funnel) {
    // a breakdown by a funnel step's count must be a step of this config: say so before planning
    funnel.validate(project.config());
    return render(FUNNEL_MODEL, funnel::addTo);
  }

  /** The trend's SELECT for this warehouse: one row per period of entry (and breakdown value). */
  public String sql(FunnelTrend trend) {
    return rendered(trend).sql();
  }

  private Rendered rendered(FunnelTrend trend) {
    trend.funnel().validate(project.config());
    return render(FUNNEL_TREND_MODEL, trend::addTo);
  }

  /** The time-to-convert histogram's SELECT for this warehouse: one row per bin. */
  public String sql(TimeToConvert timeToConvert) {
    return rendered(timeToConvert).sql();
  }

  private Rendered rendered(TimeToConvert timeToConvert) {
    timeToConvert.funnel().validate(project.config());
    return render(TIME_TO_CONVERT_MODEL, timeToConvert::addTo);
  }

  /** The attribution's SELECT for this warehouse: one row per credited value. */
  public String sql(Attribution attribution) {
    return rendered(attribution).sql();
  }

  private Rendered rendered(Attribution attribution) {
    attribution.validate(project.config());
    return render(ATTRIBUTION_MODEL, attribution::addTo);
  }

  /** The retention's SELECT for this warehouse: one row per cohort (and breakdown value) and period. */
  public String sql(Retention retention) {
    return rendered(retention).sql();
  }

  private Rendered rendered(Retention retention) {
    retention.validate(project.config());
    return render(RETENTION_MODEL, retention::addTo);
  }

  /** The paths analysis' SELECT for this warehouse: the most frequent paths, most frequent first. */
  public String sql(Paths paths) {
    return rendered(paths).sql();
  }

  private Rendered rendered(Paths paths) {
    return render(PATHS_MODEL, paths::addTo);
  }

  /** Runs the funnel on {@code connection}, which stays open. */
  public FunnelResult run(Funnel funnel, Connection connection) {
    Rendered sql = rendered(funnel);
    boolean breakdown = funnel.breakdown().isPresent();
    List<FunnelResult.Row> rows =
        query(
            connection,
            sql,
            rs -> {
              int c = breakdown ? 2 : 1;
              return new FunnelResult.Row(
                  breakdown ? rs.getString(1) : null,
                  rs.getInt(c),
                  rs.getString(c + 1),
                  rs.getLong(c + 2),
                  nullableDouble(rs, c + 3),
                  nullableDouble(rs, c + 4),
                  nullableLong(rs, c + 5),
                  nullableDouble(rs, c + 6),
                  nullableDouble(rs, c + 7));
            });
    return new FunnelResult(funnel, rows);
  }

  /** Runs the trend on {@code connection}, which stays open. */
  public FunnelTrendResult run(FunnelTrend trend, Connection connection) {
    boolean breakdown = trend.funnel().breakdown().isPresent();
    List<FunnelTrendResult.Row> rows =
        query(
            connection,
            rendered(trend),
            rs -> {
              int c = breakdown ? 2 : 1;
              return new FunnelTrendResult.Row(
                  breakdown ? rs.getString(1) : null,
                  rs.getObject(c, LocalDate.class),
                  rs.getLong(c + 1),
                  rs.getLong(c + 2),
                  rs.getDouble(c + 3));
            });
    return new FunnelTrendResult(trend, rows);
  }

  /** Runs the time-to-convert histogram on {@code connection}, which stays open. */
  public TimeToConvertResult run(TimeToConvert timeToConvert, Connection connection) {
    List<TimeToConvertResult.Row> rows =
        query(
            connection,
            rendered(timeToConvert),
            rs -> new TimeToConvertResult.Row(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5)));
    return new TimeToConvertResult(timeToConvert, rows);
  }

  /** Runs the attribution on {@code connection}, which stays open. */
  public AttributionResult run(Attribution attribution, Connection connection) {
    List<AttributionResult.Row> rows =
        query(
            connection,
            rendered(attribution),
            rs -> new AttributionResult.Row(rs.getString(1), rs.getDouble(2), nullableDouble(rs, 3)));
    return new AttributionResult(attribution, rows);
  }

  /** Runs the retention on {@code connection}, which stays open. */
  public RetentionResult run(Retention retention, Connection connection) {
    boolean breakdown = retention.breakdown().isPresent();
    List<RetentionResult.Row> rows =
        query(
            connection,
            rendered(retention),
            rs -> {
              int c = breakdown ? 2 : 1;
              return new RetentionResult.Row(
                  breakdown ? rs.getString(1) : null,
                  rs.getObject(c, LocalDate.class),
                  rs.getLong(c + 1),
                  rs.getInt(c + 2),
                  rs.getLong(c + 3),
                  rs.getDouble(c + 4));
            });
    return new RetentionResult(retention, rows);
  }

  /** Runs the paths analysis on {@code connection}, which stays open. */
  public PathsResult run(Paths paths, Connection connection) {
    int k = paths.steps();
    List<PathsResult.Row> rows =
        query(
            connection,
            rendered(paths),
            rs -> {
              List<String> steps = new ArrayList<>(k);
              for (int j = 0; j < k; j++) {
                steps.add(rs.getString(2 + j));
              }
              return new PathsResult.Row(rs.getInt(1), steps, rs.getLong(k + 2), rs.getDouble(k + 3));
            });
    return new PathsResult(paths, rows);
  }

  /** An analysis planned as the model {@code model} of a copy of the project, ready to render. */
  private record Rendered(SqlRenderer renderer, String model) {
    String sql() {
      return renderer.select(model);
    }
  }

  private Rendered render(String name, BiFunction<HeapProject, String, Model> addTo) {
    if (project.find(name).isPresent()) {
      throw new HeapAnalysisException(
          name, "model", "the project already has a model called " + name + "; add the analysis to it under another name with addTo");
    }
    // a copy, so the user's project never holds the analysis
    HeapProject withAnalysis = HeapProject.empty(project.config());
    project.models().forEach(withAnalysis::add);
    addTo.apply(withAnalysis, name);
    // the analysis' SELECT needs only the full queries; an incremental run's would double the work
    return new Rendered(new SqlRenderer(warehouse, withAnalysis.planFull()), name);
  }

  /** Reads one result row; may throw what {@link ResultSet} throws. */
  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(Connection connection, Rendered analysis, RowReader<T> reader) {
    long start = System.nanoTime();
    String model = analysis.model();
    List<TableName> stored = new ArrayList<>();
    String sql = null;
    Map<String, String> settingsBefore = SessionSettings.set(warehouse, connection, warehouse.analysisSessionSettings());
    try (Statement s = connection.createStatement()) {
      // creating and dropping a table would commit a transaction the caller holds open, and a database
      // opened read-only (an H2 file the user may only read) refuses even a temporary one: then one SELECT
      if (warehouse.evaluatesCtePerReference()
          && warehouse.hasLocalTemporaryTables()
          && connection.getAutoCommit()
          && !connection.isReadOnly()) {
        // the CTEs read more than once, counted on the plan as a build counts them, each evaluated once
        // into a table of this session (in its current schema), which the rest reads
        String schema = connection.getSchema();
        SqlRenderer.StoredSelect select =
            analysis.renderer().selectStoringShared(model, cte -> warehouse.table(Optional.empty(), schema, warehouse.cteName(cte)));
        for (SqlRenderer.StoredCte cte : select.stored()) {
          sql = "CREATE LOCAL TEMPORARY TABLE " + cte.table().qualified() + " AS\n" + cte.select();
          s.execute(sql);
          stored.add(cte.table());
          for (String index : warehouse.indexStatements(cte.table(), cte.lookupColumns())) {
            sql = index;
            s.execute(index);
          }
        }
        sql = select.query();
      } else {
        sql = analysis.sql();
      }
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery(sql)) {
        while (rs.next()) {
          rows.add(reader.read(rs));
        }
      }
      LOG.info(
          "{} on {}: {} {} in {} ms", model, warehouse.name(), rows.size(), rows.size() == 1 ? "row" : "rows",
          (System.nanoTime() - start) / 1_000_000);
      return rows;
    } catch (SQLException e) {
      throw HeapRunException.analysis(model, warehouse.name(), sql == null ? "(rendering)" : sql, e);
    } finally {
      dropStored(connection, model, stored);
      SessionSettings.restore(warehouse, connection, settingsBefore, "the analysis");
    }
  }

  private void dropStored(Connection connection, String model, List<TableName> stored) {
    for (TableName table : stored) {
      try (Statement s = connection.createStatement()) {
        s.execute(warehouse.dropTable(table));
      } catch (SQLException e) {
        LOG.warn("{} on {}: could not drop the session's temporary table {}: {}", model, warehouse.name(), table, e.getMessage());
      }
    }
  }

  private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
