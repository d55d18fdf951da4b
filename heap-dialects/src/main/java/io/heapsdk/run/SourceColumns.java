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
   * Throws a {@link HeapConfigException} naming the first configured column a source table lacks; returns
   * the columns of the tables the driver described (logical table name to columns), read once per run.
   */
  public static Map<String, List<TableLookup.Column>> check(Warehouse warehouse, Connection connection, ProjectPlan plan) {
    Map<String, List<TableLookup.Column>> found = new LinkedHashMap<>();
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
        return found;
      }
      Optional<List<String>> columns = described.map(cs -> cs.stream().map(TableLookup.Column::name).toList());
      if (columns.isEmpty()) {
        missing(warehouse, connection, c, t, table);
        continue;
      }
      Set<String> there = new LinkedHashSet<>();
      columns.get().forEach(n -> there.add(comparable(warehouse, n)));
      for (SourceColumn col : t.columns()) {
        String stored = warehouse.storedName(col.physicalName());
        if (!there.contains(comparable(warehouse, stored))) {
          throw new HeapConfigException(
              c.origin(),
              key(c, t, col),
              "no column " + stored + " in " + table.qualified() + hint(warehouse, stored, columns.get()));
        }
      }
      if (t.name().equals(SourceCatalog.PAGEVIEWS)) {
        checkPropertyTypes(warehouse, c, table, described.get());
      }
      found.put(t.name(), described.get());
    }
    return found;
  }

  /**
   * A pass-through property declared with a type ({@code {name: page_category, type: bigint}}) whose
   * column in the source is of another kind: the fact took the source's type whatever the declaration
   * said, silently, and {@code heap docs} documented the declared one. Kinds, not exact types: a
   * {@code varchar(255)} is text, a {@code NUMBER(38,0)} a whole number. A type the driver reports as
   * something else ({@code OTHER}: a VARIANT, a JSON) is not second-guessed.
   */
  private static void checkPropertyTypes(Warehouse warehouse, HeapConfig c, TableName table, List<TableLookup.Column> columns) {
    List<PassThroughColumn> properties = c.pageviewProperties();
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
              "source.pageview_properties[" + i + "]",
              "declared " + p.type().name().toLowerCase(Locale.ROOT) + ", but " + table.qualified() + "." + column.name() + " holds "
                  + describe(kind.get()) + " (" + JDBCType.valueOf(column.jdbcType()).getName() + "); declare it as "
                  + kind.get().name().toLowerCase(Locale.ROOT) + " (the fact takes the column as it is), or convert it in a model of"
                  + " your own");
        }
      }
    }
  }

  /** The kind of value a column holds, as a pass-through type names it; empty where that cannot be told. */
  private static Optional<ColumnType> kind(TableLookup.Column column) {
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

  private static String describe(ColumnType kind) {
    return switch (kind) {
      case VARCHAR -> "text";
      case BIGINT -> "whole numbers";
      case DOUBLE -> "numbers with a fraction";
      case BOOLEAN -> "true/false values";
      case TIMESTAMP -> "timestamps";
    };
  }

  /**
   * Throws a {@link HeapConfigException} naming the config key when the catalog shows that {@code table}
   * is not there while its schema holds other tables ({@code source.tables.<name>}, or {@code
   * source.schema} when none of Heap's tables is), or that the schema is not there while others are
   * ({@code source.schema}). Where the catalog cannot say (it lists nothing at all), nothing is thrown:
   * the run's statements fail with the database's words as before.
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
      String configured = c.sourceTables().containsKey(t.name()) ? "source.tables." + t.name() : "source.tables." + t.name() + " (not set: Heap's name)";
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
                + (anyHeapTable && !c.sourceTables().containsKey(t.name())
                    ? ". The models read it even where a project leaves it empty, as a mobile app does its pageviews: create it"
                        + " empty, with the columns heap docs lists for it"
                    : ""));
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
    boolean ignoringCase =
        warehouse == Warehouses.DUCKDB
            || warehouse.identifiers() == Identifiers.BACKTICKS_AS_WRITTEN
            || warehouse.identifiers() == Identifiers.BACKTICKS_DOUBLED;
    return ignoringCase ? name.toLowerCase(Locale.ROOT) : name;
  }

  /** The config key that makes the run read {@code col}, or where to set one. */
  private static String key(HeapConfig c, SourceTable t, SourceColumn col) {
    List<PassThroughColumn> properties = t.name().equals("pageviews") ? c.pageviewProperties() : List.of();
    for (int i = 0; i < properties.size(); i++) {
      if (properties.get(i).name().equals(col.name())) {
        return "source.pageview_properties[" + i + "]";
      }
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
    List<String> shown = new ArrayList<>(columns.subList(0, Math.min(columns.size(), 30)));
    return "; its columns: " + String.join(", ", shown) + (columns.size() > shown.size() ? ", …" : "");
  }
}
