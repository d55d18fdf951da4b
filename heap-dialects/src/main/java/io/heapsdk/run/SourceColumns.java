package io.heapsdk.run;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.HeapConfigException;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.source.ColumnType;
import io.heapsdk.source.PassThroughColumn;
import io.heapsdk.source.SourceCatalog;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.Identifiers;
import io.heapsdk.warehouse.TableName;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, before a run writes anything, that the Heap tables its models read have every column the
 * config makes them read: a pass-through property ({@code source.pageview_properties}), a renamed column
 * ({@code source.columns}) or one of Heap's own. Without it a typo, or a property added to the config
 * before Heap syncs it, fails deep in a model's statement with the engine's words and the plan's
 * internal names ({@code Values list "pageviews_ranked_input" does not have a column named
 * "gtm_campaign"}); with it the message names the config key, the table and the columns it has.
 *
 * <p>The columns come from the driver's catalog ({@link TableLookup}). A table that is not there, in a
 * schema that holds others, is named with its config key too ({@code source.tables.all_events}, or
 * {@code source.schema}), and so is a schema that is not there; a driver whose catalog cannot say is
 * not second-guessed.
 */
public final class SourceColumns {
  private SourceColumns() {}

  /**
   * Throws a {@link HeapConfigException} naming the configured columns the source tables lack (the first
   * by its key, the others after it); returns
   * the columns of the tables the driver described (logical table name to columns), read once per run.
   */
  public static Map<String, List<TableLookup.Column>> check(Warehouse warehouse, Connection connection, ProjectPlan plan) {
    return check(warehouse, connection, plan, Optional.empty());
  }

  /**
   * {@link #check(Warehouse, Connection, ProjectPlan)} on a schema where a reconciling run stored source
   * fingerprints in {@code storedPrints}: every run keeps them true to the facts it builds (by user id), so
   * the user ids are checked as for a reconciling run.
   */
  public static Map<String, List<TableLookup.Column>> check(
      Warehouse warehouse, Connection connection, ProjectPlan plan, Optional<TableName> storedPrints) {
    Map<String, List<TableLookup.Column>> found = new LinkedHashMap<>();
    List<Map.Entry<String, String>> lacking = new ArrayList<>();
    Map<SourceTable, TableName> named = new LinkedHashMap<>();
    Map<SourceTable, TableName> absent = new LinkedHashMap<>();
    HeapConfig c = plan.config();
    Set<String> read = new LinkedHashSet<>();
    for (PlannedModel m : plan.models()) {
      read.addAll(m.sources());
    }
    for (SourceTable t : c.catalog().tables()) {
      if (!read.contains(t.name())) {
        continue;
      }
      TableName table = warehouse.table(c.sourceDatabase(), c.sourceSchema(), t.physicalName());
      Optional<List<TableLookup.Column>> described;
      try {
        described = TableLookup.described(warehouse, connection, table);
      } catch (SQLException | RuntimeException e) {
        // the catalog cannot say: what it said of the tables before is still told
        break;
      }
      Optional<List<String>> columns = described.map(cs -> cs.stream().map(TableLookup.Column::name).toList());
      if (columns.isEmpty()) {
        absent.put(t, table);
        continue;
      }
      Set<String> there = new LinkedHashSet<>();
      columns.get().forEach(n -> there.add(comparable(warehouse, n)));
      for (SourceColumn col : t.columns()) {
        String stored = warehouse.storedName(col.physicalName());
        if (!there.contains(comparable(warehouse, stored))) {
          lacking.add(Map.entry(key(c, t, col), "no column " + stored + " in " + table.qualified() + hint(warehouse, stored, columns.get())));
        }
      }
      found.put(t.name(), described.get());
      named.put(t, table);
    }
    // every missing column at once, before what is wrong with the columns that are there
    throwLacking(c, lacking);
    throwAbsent(warehouse, connection, c, absent);
    checkHeapKinds(warehouse, c, named, found);
    // the session's time zone, asked once, when a time column has a zone
    Optional<String> zone = Optional.empty();
    for (Map.Entry<SourceTable, TableName> e : named.entrySet()) {
      SourceTable t = e.getKey();
      List<TableLookup.Column> columns = found.get(t.name());
      checkPropertyTypes(warehouse, c, t.name(), e.getValue(), columns);
      zone = checkZonedTimes(warehouse, connection, c, t, e.getValue(), columns, zone);
      if (c.reconcile() || storedPrints.isPresent()) {
        checkUserIdsForReconcile(warehouse, c, t, e.getValue(), columns, storedPrints);
      }
    }
    return found;
  }

  /**
   * Of the columns {@link #check} described (logical table to columns), the ones the models read: the
   * configured columns, Heap's and the pass-through properties. What a run records of the sources (text
   * widths, kinds) is of these only: a Heap table may hold a column per property, hundreds of them; an
   * unread one retyped rebuilt the facts for nothing, and their record could outgrow a settings value
   * (Redshift's widest VARCHAR is 65,535 bytes) and fail a finished run's bookkeeping.
   */
  static Map<String, List<TableLookup.Column>> read(Warehouse warehouse, HeapConfig c, Map<String, List<TableLookup.Column>> described) {
    Map<String, List<TableLookup.Column>> read = new LinkedHashMap<>();
    described.forEach((table, columns) -> c.catalog().findTable(table).ifPresent(t -> {
      Set<String> configured = new LinkedHashSet<>();
      t.columns().forEach(col -> configured.add(comparable(warehouse, warehouse.storedName(col.physicalName()))));
      read.put(table, columns.stream().filter(col -> configured.contains(comparable(warehouse, col.name()))).toList());
    }));
    return read;
  }

  /**
   * The Heap tables the catalog does not describe, the first explained ({@link #missing}) and the others
   * named after it: a schema lacking pageviews and user_migrations said pageviews alone, and the run
   * after that fix said user_migrations (a probe on hand-made Heap data).
   */
  private static void throwAbsent(Warehouse warehouse, Connection connection, HeapConfig c, Map<SourceTable, TableName> absent) {
    List<Map.Entry<SourceTable, TableName>> tables = new ArrayList<>(absent.entrySet());
    for (int i = 0; i < tables.size(); i++) {
      try {
        missing(warehouse, connection, c, tables.get(i).getKey(), tables.get(i).getValue());
      } catch (HeapConfigException e) {
        List<String> others =
            tables.subList(i + 1, tables.size()).stream()
                .map(x -> tableKey(c, x.getKey()) + " (" + x.getValue().qualified() + ")")
                .toList();
        // a missing schema explains every table at once
        if (others.isEmpty() || !e.keyPath().startsWith("source.tables.")) {
          throw e;
        }
        throw new HeapConfigException(e.origin(), e.keyPath(), e.problem() + "; and " + others.size() + " more not there: " + String.join(", ", others));
      }
    }
  }

  private static String tableKey(HeapConfig c, SourceTable t) {
    return c.sourceTables().containsKey(t.name()) ? "source.tables." + t.name() : "source.tables." + t.name() + " (not set: Heap's name)";
  }

  /**
   * Every missing column in one message: a curated view lacking six of Heap's columns took six runs to
   * fix, one message each.
   */
  private static void throwLacking(HeapConfig c, List<Map.Entry<String, String>> lacking) {
    if (lacking.isEmpty()) {
      return;
    }
    Map.Entry<String, String> first = lacking.get(0);
    List<String> more = lacking.subList(1, lacking.size()).stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    throw new HeapConfigException(
        c.origin(), first.getKey(), first.getValue() + (more.isEmpty() ? "" : "; and " + more.size() + " more: " + String.join("; ", more)));
  }

  /**
   * A pass-through property declared with a type ({@code {name: page_category, type: bigint}}) whose
   * column in the source is of another kind: the fact took the source's type whatever the declaration
   * said, silently, and {@code heap docs} documented the declared one. Kinds, not exact types: a
   * {@code varchar(255)} is text, a {@code NUMBER(38,0)} a whole number. A type the driver reports as
   * something else ({@code OTHER}: a VARIANT, a JSON) is not second-guessed.
   */
  private static void checkPropertyTypes(
      Warehouse warehouse, HeapConfig c, String heapTable, TableName table, List<TableLookup.Column> columns) {
    List<PassThroughColumn> properties = c.properties(heapTable);
    for (int i = 0; i < properties.size(); i++) {
      PassThroughColumn p = properties.get(i);
      String stored = comparable(warehouse, warehouse.storedName(p.name()));
      for (TableLookup.Column column : columns) {
        if (!comparable(warehouse, column.name()).equals(stored)) {
          continue;
        }
        Optional<ColumnType> kind = kind(column);
        if (kind.isPresent() && kind.get() != p.type()) {
          throw new HeapConfigException(
              c.origin(),
              HeapConfig.PROPERTY_KEYS.get(heapTable) + "[" + i + "]",
              "declared " + p.type().name().toLowerCase(Locale.ROOT) + ", but " + table.qualified() + "." + column.name() + " holds "
                  + describe(kind.get()) + " (" + JDBCType.valueOf(column.jdbcType()).getName() + "); declare it as "
                  + kind.get().name().toLowerCase(Locale.ROOT) + " (the fact takes the column as it is), or convert it in a model of"
                  + " your own");
        }
      }
    }
  }

  /**
   * Heap's id columns that the models stack or join with each other, by what they identify: the user ids
   * of the active users (a UNION of every table's, user_migrations' two included) and the identity map;
   * the session ids joining events to Heap's sessions. (pageviews' session ids and the two tables' event
   * ids meet no other table's.)
   */
  private static final Map<String, List<String>> ID_FAMILIES =
      Map.of(
          "user ids", List.of("sessions.user_id", "pageviews.user_id", "all_events.user_id", "user_migrations.from_user_id",
              "user_migrations.to_user_id"),
          "session ids", List.of("sessions.session_id", "all_events.session_id"));

  /**
   * Heap's own columns of a kind the models cannot work with, refused before the run with their keys
   * (SPEC §1: every {@code time} is a timestamp without zone; Heap's ids are whole numbers in every table):
   * <ul>
   *   <li>a {@code time} that is not a timestamp (text, a number, a date): the facts were built with text
   *       times, ordered as text, and the run then failed while recording itself ("UNION types text and
   *       timestamp"), the funnels after it ("operator does not exist: text + interval"); a date ran, the
   *       order of a day's events lost and the funnels' times 0 s;</li>
   *   <li>user ids of two kinds in two tables (text in the events, whole numbers in
   *       {@code user_migrations}): the first full build passed, and every incremental run after it failed
   *       ("UNION types text and bigint cannot be matched"), the facts stuck at that first day; session ids
   *       of two kinds in events and sessions failed the first build's join ("operator does not exist:
   *       text = bigint").</li>
   * </ul>
   * Found by loading hand-made Heap tables into PostgreSQL. A column whose kind the driver does not tell
   * ({@link #kind}: a JSON, DuckDB's HUGEINT) is not second-guessed, and ids all of one kind, text
   * included, pass. The column named is one of the fewest of their kind (the odd one out).
   */
  private static void checkHeapKinds(
      Warehouse warehouse, HeapConfig c, Map<SourceTable, TableName> named, Map<String, List<TableLookup.Column>> found) {
    Map<String, SourceTable> byName = new LinkedHashMap<>();
    named.keySet().forEach(t -> byName.put(t.name(), t));
    for (Map.Entry<SourceTable, TableName> e : named.entrySet()) {
      SourceTable t = e.getKey();
      Optional<SourceColumn> time = t.findColumn("time");
      Optional<TableLookup.Column> column = time.flatMap(col -> described(warehouse, found.get(t.name()), col));
      if (column.isEmpty()) {
        continue;
      }
      Optional<ColumnType> kind = kind(column.get());
      boolean date = column.get().jdbcType() == Types.DATE;
      if (date || (kind.isPresent() && kind.get() != ColumnType.TIMESTAMP)) {
        throw new HeapConfigException(
            c.origin(), key(c, t, time.get()),
            e.getValue().qualified() + "." + column.get().name() + " holds " + (date ? "dates" : describe(kind.get())) + " ("
                + column.get().typeName() + "), and Heap's times are timestamps: the facts order and compare them as times; give it as a"
                + " timestamp (in a view: CAST(" + column.get().name() + " AS TIMESTAMP))");
      }
    }
    for (Map.Entry<String, List<String>> family : new java.util.TreeMap<>(ID_FAMILIES).entrySet()) {
      List<IdColumn> ids = new ArrayList<>();
      for (String logical : family.getValue()) {
        String[] parts = logical.split("\\.");
        SourceTable t = byName.get(parts[0]);
        Optional<SourceColumn> col = t == null ? Optional.empty() : t.findColumn(parts[1]);
        Optional<TableLookup.Column> column = col.flatMap(x -> described(warehouse, found.get(t.name()), x));
        Optional<ColumnType> kind = column.flatMap(SourceColumns::kind);
        if (kind.isPresent()) {
          ids.add(
              new IdColumn(
                  key(c, t, col.get()), kind.get(), column.get().name(),
                  named.get(t).qualified() + "." + column.get().name() + " holds " + describe(kind.get()) + " (" + column.get().typeName() + ")"));
        }
      }
      Map<ColumnType, Long> counts = new java.util.EnumMap<>(ColumnType.class);
      ids.forEach(id -> counts.merge(id.kind(), 1L, Long::sum));
      if (counts.size() < 2) {
        continue;
      }
      // the odd one out: a column of the rarest kind (the first such), set against one of the commonest
      long fewest = java.util.Collections.min(counts.values());
      long most = java.util.Collections.max(counts.values());
      IdColumn odd = ids.stream().filter(id -> counts.get(id.kind()) == fewest).findFirst().orElseThrow();
      IdColumn usual = ids.stream().filter(id -> id.kind() != odd.kind() && counts.get(id.kind()) == most).findFirst().orElseThrow();
      throw new HeapConfigException(
          c.origin(), odd.key(),
          odd.said() + ", and " + usual.said() + " [" + usual.key() + "]: heap joins and stacks Heap's " + family.getKey() + " of these tables"
              + " with each other, so they must be of one type; give them all as whole numbers, as Heap's are (in a view: CAST("
              + odd.name() + " AS BIGINT))");
    }
  }

  /** An id column of a Heap table, for {@link #checkHeapKinds}: its key, kind, name and what it holds, said. */
  private record IdColumn(String key, ColumnType kind, String name, String said) {}

  /** The described column a configured one reads, matched as the warehouse stores names; empty when not there. */
  private static Optional<TableLookup.Column> described(Warehouse warehouse, List<TableLookup.Column> columns, SourceColumn col) {
    if (columns == null) {
      return Optional.empty();
    }
    String stored = comparable(warehouse, warehouse.storedName(col.physicalName()));
    return columns.stream().filter(x -> comparable(warehouse, x.name()).equals(stored)).findFirst();
  }

  /**
   * A time column of a Heap table with a time zone (a view casting Heap's times to {@code timestamptz}),
   * refused where the session's time zone is not UTC. Heap's times are UTC wall-clock values without a
   * zone, and the run's high-water mark is one too: the database compares a zoned column with it in the
   * session's zone, which PostgreSQL's driver sets to the JVM's. In New York a late event two hours
   * inside the lookback was missed, the mark five hours short (PostgreSQL and DuckDB, found with Heap's
   * tables exposed as views); in UTC the same view builds the rows of a full refresh, and is not refused.
   * Returns the session's zone, once asked.
   */
  private static Optional<String> checkZonedTimes(
      Warehouse warehouse, Connection connection, HeapConfig c, SourceTable t, TableName table, List<TableLookup.Column> columns,
      Optional<String> zone) {
    Optional<Warehouse.SessionTimeZone> select = warehouse.sessionTimeZone();
    if (select.isEmpty()) {
      return zone;
    }
    for (SourceColumn col : t.columns()) {
      // the time the mark is compared with; a pass-through timestamp property is carried, not compared
      if (!col.name().equals("time")) {
        continue;
      }
      Optional<TableLookup.Column> column = described(warehouse, columns, col);
      if (column.isEmpty() || !zoned(column.get())) {
        continue;
      }
      if (zone.isEmpty()) {
        try {
          zone = Optional.of(setting(connection, select.get()));
        } catch (SQLException e) {
          return zone; // only a check: the run goes on as before
        }
      }
      if (!zone.get().isBlank() && !isUtc(zone.get())) {
        throw new HeapConfigException(
            c.origin(),
            key(c, t, col),
            table.qualified() + "." + column.get().name() + " is " + column.get().typeName() + ", and this session's time zone is "
                + zone.get() + ": heap compares Heap's times, UTC values without a zone, with its high-water mark, and the database"
                + " would compare this column in " + zone.get() + ", missing late rows by the zone's offset; "
                + select.get().remedy());
      }
    }
    return zone;
  }

  /**
   * A reconciling run keeps each user's fingerprint under the user id as a whole number (Heap's ids are),
   * and compares the stored ones with the current ones in one UNION: a user id given as text (a view
   * casting it) built the facts, then failed the first reconciling run with the engine's "UNION types text
   * and bigint cannot be matched". Refused before the run instead, naming the column's key. So is a run
   * that does not reconcile where fingerprints are stored: it forgets those of the users it recomputes, by
   * id, and failed there with the engine's type error.
   */
  private static void checkUserIdsForReconcile(
      Warehouse warehouse, HeapConfig c, SourceTable t, TableName table, List<TableLookup.Column> columns, Optional<TableName> storedPrints) {
    for (SourceColumn col : t.columns()) {
      if (!col.name().equals("user_id") && !col.name().equals("from_user_id") && !col.name().equals("to_user_id")) {
        continue;
      }
      String stored = comparable(warehouse, warehouse.storedName(col.physicalName()));
      for (TableLookup.Column column : columns) {
        Optional<ColumnType> kind = kind(column);
        if (comparable(warehouse, column.name()).equals(stored) && kind.isPresent() && kind.get() != ColumnType.BIGINT) {
          String holds = table.qualified() + "." + column.name() + " holds " + describe(kind.get()) + " (" + column.typeName() + "), and ";
          throw new HeapConfigException(
              c.origin(), key(c, t, col),
              c.reconcile() || storedPrints.isEmpty()
                  ? holds + "reconcile (incremental.reconcile, heap run --reconcile) keeps user ids as whole numbers, as Heap's are; give"
                      + " the column as a whole number (in a view: CAST(user_id AS BIGINT)), or run without reconcile"
                  : holds + storedPrints.get().qualified() + " holds the source fingerprints a reconciling run recorded, by user ids"
                      + " as whole numbers, as Heap's are, which every run keeps up to date; give the column as a whole number (in a"
                      + " view: CAST(user_id AS BIGINT)), or drop " + storedPrints.get().qualified() + " to stop keeping them");
        }
      }
    }
  }

  /** The session's time zone: blank where the query gives no row. */
  static String setting(Connection connection, Warehouse.SessionTimeZone query) throws SQLException {
    try (java.sql.Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery(query.sql())) {
      return rs.next() ? String.valueOf(rs.getString(query.column())) : "";
    }
  }

  /**
   * Whether a column's type holds a time zone, or is read in the session's: {@code timestamptz},
   * {@code TIMESTAMP WITH [LOCAL] TIME ZONE}, and Snowflake's {@code TIMESTAMP_TZ} and
   * {@code TIMESTAMP_LTZ}, which its driver's catalog names {@code TIMESTAMPTZ} and {@code TIMESTAMPLTZ}.
   */
  static boolean zoned(TableLookup.Column column) {
    String type = column.typeName().toUpperCase(Locale.ROOT).replace('_', ' ');
    return column.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE || type.contains("WITH TIME ZONE") || type.contains("WITH LOCAL TIME ZONE")
        || type.equals("TIMESTAMPTZ") || type.equals("TIMESTAMPLTZ") || type.equals("TIMESTAMP TZ") || type.equals("TIMESTAMP LTZ");
  }

  /**
   * Whether a session time zone setting is UTC: a zone whose offset is zero all year ({@code UTC},
   * {@code Etc/UTC}, {@code GMT}, {@code Etc/GMT+0}, {@code Z}), and PostgreSQL's {@code <+00>-00} for a
   * zone set as an offset; not London, whose name has summer time. A name Java does not know is not UTC.
   */
  static boolean isUtc(String zone) {
    String z = zone.strip();
    if (z.equals("<+00>-00") || z.equalsIgnoreCase("UTC0") || z.equalsIgnoreCase("GMT0")) {
      return true;
    }
    try {
      java.time.ZoneId id = java.time.ZoneId.of(z.equalsIgnoreCase("utc") ? "UTC" : z);
      return id.getRules().isFixedOffset() && id.getRules().getOffset(java.time.Instant.EPOCH).getTotalSeconds() == 0;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  /** The kind of value a column holds, as a pass-through type names it; empty where that cannot be told. */
  static Optional<ColumnType> kind(TableLookup.Column column) {
    switch (column.jdbcType()) {
      case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB:
        return Optional.of(ColumnType.VARCHAR);
      case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT:
        return Optional.of(ColumnType.BIGINT);
      case Types.FLOAT, Types.REAL, Types.DOUBLE:
        return Optional.of(ColumnType.DOUBLE);
      case Types.NUMERIC, Types.DECIMAL:
        // Snowflake's integers are NUMBER(38,0)
        return Optional.of(column.scale() == 0 ? ColumnType.BIGINT : ColumnType.DOUBLE);
      case Types.BOOLEAN, Types.BIT:
        return Optional.of(ColumnType.BOOLEAN);
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE:
        return Optional.of(ColumnType.TIMESTAMP);
      default:
        return Optional.empty();
    }
  }

  static String describe(ColumnType kind) {
    return switch (kind) {
      case VARCHAR -> "text";
      case BIGINT -> "whole numbers";
      case DOUBLE -> "numbers with a fraction";
      case BOOLEAN -> "true/false values";
      case TIMESTAMP -> "timestamps";
    };
  }

  /**
   * What to do about a Heap table a schema of Heap's other tables lacks. Heap's identity merges are not
   * a table a project leaves empty by design: an empty stand-in keeps the ids a merge rewrote out of the
   * active users, and the facts keep the old id's rows (found with Heap's tables exposed as views).
   */
  private static String emptyTableHint(SourceTable t) {
    if (t.name().equals(SourceCatalog.USER_MIGRATIONS)) {
      return ". The models read Heap's identity merges from it: expose Heap's own " + SourceCatalog.USER_MIGRATIONS
          + " here (a view over it, say); an empty stand-in is right only for a project that never merges users (never calls"
          + " identify), since the facts would keep the rows of every merged-away id";
    }
    return ". The models read it even where a project leaves it empty, as a mobile app does its pageviews: create it"
        + " empty, with the columns heap docs lists for it";
  }

  /**
   * Throws a {@link HeapConfigException} naming the config key when the catalog shows that {@code table}
   * is not there while its schema holds other tables ({@code source.tables.<name>}, or {@code
   * source.schema} when none of Heap's tables is), or that the schema is not there while others are
   * ({@code source.schema}), or that the schema is there without a table this connection can see ({@code
   * source.schema}). Where the catalog cannot say (it lists nothing at all), nothing is thrown: the run's
   * statements fail with the database's words as before.
   */
  private static void missing(Warehouse warehouse, Connection connection, HeapConfig c, SourceTable t, TableName table) {
    try {
      DatabaseMetaData md = connection.getMetaData();
      String catalog = c.sourceDatabase().map(warehouse::storedName).orElse(connection.getCatalog());
      String schema = warehouse.storedName(c.sourceSchema());
      List<String> tables = new ArrayList<>();
      try (ResultSet rs = md.getTables(catalog, escaped(schema, md), "%", null)) {
        while (rs.next()) {
          // all types, since drivers name tables and views differently ("TABLE", "BASE TABLE"), but not
          // PostgreSQL's indexes and sequences, which listed first filled the message with index names
          String type = String.valueOf(rs.getString("TABLE_TYPE")).toUpperCase(Locale.ROOT);
          if (!type.contains("INDEX") && !type.contains("SEQUENCE") && !type.equals("TYPE")) {
            tables.add(rs.getString("TABLE_NAME"));
          }
        }
      }
      String configured = tableKey(c, t);
      String wanted = warehouse.storedName(t.physicalName());
      if (tables.stream().anyMatch(n -> n.equalsIgnoreCase(wanted))) {
        // listed, but without columns the catalog would give (DuckDB matches a quoted name ignoring case
        // where its driver's getColumns does not; Redshift's late-binding views have no columns there)
        return;
      }
      if (!tables.isEmpty()) {
        boolean anyHeapTable =
            c.catalog().tables().stream()
                .anyMatch(h -> tables.stream().anyMatch(n -> comparable(warehouse, n).equals(comparable(warehouse, warehouse.storedName(h.physicalName())))));
        throw new HeapConfigException(
            c.origin(),
            anyHeapTable ? configured : "source.schema",
            "no table " + warehouse.storedName(t.physicalName()) + " in schema " + c.sourceDatabase().map(d -> d + ".").orElse("") + c.sourceSchema()
                + (anyHeapTable ? "" : ", nor any other of Heap's tables") + "; its tables: "
                + String.join(", ", tables.subList(0, Math.min(tables.size(), 30))) + (tables.size() > 30 ? ", …" : "")
                // Heap's own name, and the other Heap tables there: a sync that never made this one (a mobile
                // app's pageviews), not a misspelled name
                + (anyHeapTable && !c.sourceTables().containsKey(t.name()) ? emptyTableHint(t) : ""));
      }
      List<String> schemas = new ArrayList<>();
      try (ResultSet rs = md.getSchemas(catalog, "%")) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      if (!schemas.isEmpty() && schemas.stream().noneMatch(n -> comparable(warehouse, n).equals(comparable(warehouse, schema)))) {
        throw new HeapConfigException(
            c.origin(), "source.schema", "no schema " + schema + " on the database, so no table " + table.qualified() + "; its schemas: "
                + String.join(", ", schemas.subList(0, Math.min(schemas.size(), 30))) + (schemas.size() > 30 ? ", …" : ""));
      }
      if (tables.isEmpty() && schemas.stream().anyMatch(n -> comparable(warehouse, n).equals(comparable(warehouse, schema)))) {
        // the schema is there with nothing in it: a first sync not done yet, or tables this user may not
        // see (Snowflake and Redshift list only those); the run's own error said to look at a view
        throw new HeapConfigException(
            c.origin(), "source.schema", "schema " + c.sourceDatabase().map(d -> d + ".").orElse("") + c.sourceSchema()
                + " has no table this connection can see, so no " + table.qualified() + ": Heap Connect has not synced into it yet, or"
                + " the database user may not read its tables");
      }
    } catch (SQLException | RuntimeException e) {
      if (e instanceof HeapConfigException config) {
        throw config;
      }
      // the catalog cannot say: the run's own statements will
    }
  }

  private static String escaped(String name, DatabaseMetaData md) throws SQLException {
    String escape = md.getSearchStringEscape();
    return escape == null || escape.isEmpty() ? name : name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
  }

  /**
   * DuckDB, BigQuery and Spark find column names ignoring case; the others as the catalog stores them
   * (see {@link Identifiers}).
   */
  private static String comparable(Warehouse warehouse, String name) {
    return matchesIgnoringCase(warehouse) ? name.toLowerCase(Locale.ROOT) : name;
  }

  /** Whether the engine finds a table, column or schema by its name in any case (DuckDB, BigQuery, Spark). */
  static boolean matchesIgnoringCase(Warehouse warehouse) {
    return warehouse == Warehouses.DUCKDB
        || warehouse.identifiers() == Identifiers.BACKTICKS_AS_WRITTEN
        || warehouse.identifiers() == Identifiers.BACKTICKS_DOUBLED;
  }

  /** The config key that makes the run read {@code col}, or where to set one. */
  private static String key(HeapConfig c, SourceTable t, SourceColumn col) {
    Optional<String> property = c.propertyKey(t.name(), col.name());
    if (property.isPresent()) {
      return property.get();
    }
    String mapped = "source.columns." + t.name() + "." + col.name();
    if (c.sourceColumns().containsKey(t.name() + "." + col.name())) {
      return mapped;
    }
    // one of Heap's own columns, under Heap's name: the key that would rename it
    return mapped + " (Heap's " + t.name() + "." + col.name() + ", not renamed)";
  }

  /** "; it has: a, b, c" with the same name in another case pointed out, as a quoted name keeps its case. */
  private static String hint(Warehouse warehouse, String wanted, List<String> columns) {
    for (String n : columns) {
      if (n.equalsIgnoreCase(wanted)) {
        return "; it has " + n + ", a name in another case (" + warehouse.name() + " looks for " + wanted + ")";
      }
    }
    // the nearest names first: the list stops at 30, and a table of properties has hundreds (the probe's
    // "Experiment Bucket", for experiment_bucket, was the 32nd)
    List<String> near = io.heapsdk.internal.NearestNames.of(wanted, columns);
    String nearest = near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near.stream().map(x -> "'" + x + "'").toList()) + "?";
    List<String> shown = new ArrayList<>(columns.subList(0, Math.min(columns.size(), 30)));
    return nearest + "; its columns: " + String.join(", ", shown) + (columns.size() > shown.size() ? ", … (" + columns.size() + " in all)" : "");
  }
}
