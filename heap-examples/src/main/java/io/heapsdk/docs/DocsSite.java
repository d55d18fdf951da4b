package io.heapsdk.docs;

import io.heapsdk.analysis.Durations;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.Model;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.quality.ColumnCheck;
import io.heapsdk.quality.DataTest;
import io.heapsdk.quality.DataTests;
import io.heapsdk.quality.Severity;
import io.heapsdk.quality.TestTarget;
import io.heapsdk.report.Markup;
import io.heapsdk.report.Page;
import io.heapsdk.source.Freshness;
import io.heapsdk.source.SourceColumn;
import io.heapsdk.source.SourceTable;
import io.heapsdk.warehouse.BuildPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.calcite.rel.type.RelDataTypeField;

/**
 * A static site documenting a project, as {@code dbt docs} does for a dbt project: an index with the
 * lineage graph, every model and every source table; a page per model (description, columns, tests,
 * materialization, keys, what it reads and what reads it, its own lineage, and its SQL for each
 * warehouse); and a page of the source catalog (columns, tests, freshness). Plain HTML with inline SVG:
 * no script, nothing loaded from anywhere, links between the pages only.
 */
public final class DocsSite {
  /** The site's front page. */
  public static final String INDEX = "index.html";

  /** The source catalog's page. */
  public static final String SOURCES = "sources.html";

  /**
   * The SQL of every model for one warehouse and kind of run, by model name: what {@code heap compile}
   * writes into its files.
   */
  @FunctionalInterface
  public interface CompiledSql {
    Map<String, String> of(ProjectPlan plan, Warehouse warehouse, BuildPlan.Mode mode);
  }

  private final HeapProject project;
  private final ProjectPlan plan;
  private final List<Warehouse> warehouses;
  private final CompiledSql sql;
  private final Lineage lineage;
  private final List<DataTest> tests;
  private final Map<String, List<String>> downstream = new LinkedHashMap<>();

  /**
   * @param project the project to document
   * @param warehouses the warehouses whose SQL the model pages show, in order
   * @param sql the SQL of every model, as {@code heap compile} writes it
   */
  public DocsSite(HeapProject project, List<Warehouse> warehouses, CompiledSql sql) {
    this.project = Objects.requireNonNull(project, "project");
    this.plan = project.plan();
    this.warehouses = List.copyOf(warehouses);
    this.sql = Objects.requireNonNull(sql, "sql");
    Map<String, String> descriptions = new LinkedHashMap<>();
    project.config().catalog().tables().forEach(t -> descriptions.put(t.name(), t.description()));
    this.lineage = Lineage.of(plan, project.config().catalog().tableNames(), descriptions);
    this.tests = DataTests.of(project);
    for (PlannedModel m : plan.models()) {
      downstream.put(m.name(), new ArrayList<>());
    }
    for (PlannedModel m : plan.models()) {
      for (String ref : m.refs()) {
        downstream.get(ref).add(m.name());
      }
    }
  }

  /** Where a model's page is, relative to the site's folder. */
  public static String modelPage(String model) {
    return "models/" + model + ".html";
  }

  /** Every page of the site, by path relative to the site's folder ({@code index.html} first). */
  public Map<String, String> pages() {
    Map<String, Map<String, String>> full = new LinkedHashMap<>();
    Map<String, Map<String, String>> incremental = new LinkedHashMap<>();
    boolean anyIncremental = plan.models().stream().anyMatch(m -> m.model().materialization() == Materialization.INCREMENTAL);
    for (Warehouse w : warehouses) {
      full.put(w.name(), sql.of(plan, w, BuildPlan.Mode.FULL_REFRESH));
      if (anyIncremental) {
        incremental.put(w.name(), sql.of(plan, w, BuildPlan.Mode.INCREMENTAL));
      }
    }
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put(INDEX, index());
    pages.put(SOURCES, sources());
    for (PlannedModel m : plan.models()) {
      pages.put(modelPage(m.name()), model(m, full, incremental));
    }
    return pages;
  }

  // ------------------------------------------------------------------ index

  private String index() {
    HeapConfig c = project.config();
    Markup m = Page.start("Heap models");
    m.open("main");
    m.element("h1", "Heap models");
    m.open("p", "class", "settings")
        .text(
            plan.models().size() + " models reading Heap's tables in schema " + c.sourceSchema() + ", built in schema " + c.targetSchema()
                + "; SQL for " + warehouses.stream().map(Warehouse::name).collect(Collectors.joining(", ")) + ".")
        .close("p");
    m.element("h2", "Lineage");
    legend(m);
    lineage.writeTo(m, "Lineage of every model, from Heap's tables to the facts and the models built on them", n -> link(n, ""), null);
    m.element("h2", "Models");
    m.open("table").open("thead").open("tr");
    for (String h : List.of("model", "materialization", "unique key", "description")) {
      m.element("th", h, "scope", "col");
    }
    m.close("tr").close("thead").open("tbody");
    for (PlannedModel p : plan.models()) {
      Model model = p.model();
      m.open("tr").open("td").element("a", p.name(), "href", modelPage(p.name())).close("td");
      m.element("td", materialization(model.materialization()));
      m.open("td").open("code").text(model.uniqueKey().orElse("")).close("code").close("td");
      m.element("td", model.description());
      m.close("tr");
    }
    m.close("tbody").close("table");
    m.element("h2", "Heap's tables");
    m.open("table").open("thead").open("tr");
    for (String h : List.of("table", "name in the warehouse", "columns", "freshness", "description")) {
      m.element("th", h, "scope", "col");
    }
    m.close("tr").close("thead").open("tbody");
    for (SourceTable t : c.catalog().tables()) {
      m.open("tr").open("td").element("a", t.name(), "href", SOURCES + "#" + sourceAnchor(t.name())).close("td");
      m.open("td").open("code").text(t.physicalName()).close("code").close("td");
      m.element("td", String.valueOf(t.columns().size()), "class", "n");
      m.element("td", t.freshness().map(DocsSite::freshness).orElse("no rule"));
      m.element("td", t.description());
      m.close("tr");
    }
    m.close("tbody").close("table");
    m.close("main");
    return Page.end(m);
  }

  private static void legend(Markup m) {
    m.open("div", "class", "legend");
    for (Lineage.Kind k : Lineage.Kind.values()) {
      m.open("span")
          .open("span", "class", "swatch", "style", "background:" + k.fill + ";border-color:" + k.stroke + (k == Lineage.Kind.EPHEMERAL ? ";border-style:dashed" : ""))
          .close("span")
          .text(k.text)
          .close("span");
    }
    m.close("div");
  }

  /** A node's link from a page {@code up} below the site's folder ({@code ""} or {@code "../"}). */
  private static String link(String node, String up) {
    if (node.startsWith(Lineage.SOURCE_PREFIX)) {
      return up + SOURCES + "#" + sourceAnchor(node.substring(Lineage.SOURCE_PREFIX.length()));
    }
    return up + modelPage(node);
  }

  private static String sourceAnchor(String table) {
    return "source-" + table;
  }

  // ------------------------------------------------------------------ sources

  private String sources() {
    HeapConfig c = project.config();
    Markup m = Page.start("Heap's tables");
    m.open("main");
    m.open("nav", "class", "crumbs").element("a", "\u2190 All models", "href", INDEX).close("nav");
    m.element("h1", "Heap's tables");
    m.open("p", "class", "settings")
        .text("The tables Heap Connect syncs into schema " + c.sourceSchema() + c.sourceDatabase().map(d -> " of database " + d).orElse("")
            + ", with the names this config gives them.")
        .close("p");
    for (SourceTable t : c.catalog().tables()) {
      m.open("section", "id", sourceAnchor(t.name()));
      m.element("h2", t.name());
      m.element("p", t.description());
      m.open("dl", "class", "facts");
      m.element("dt", "name in the warehouse").open("dd").open("code").text(t.physicalName()).close("code").close("dd");
      m.element("dt", "freshness").element("dd", t.freshness().map(DocsSite::freshness).orElse("no rule"));
      m.element("dt", "read by");
      m.open("dd");
      List<String> readers = plan.models().stream().filter(p -> p.sources().contains(t.name())).map(PlannedModel::name).toList();
      links(m, readers, "");
      m.close("dd");
      m.close("dl");
      m.open("table").open("thead").open("tr");
      for (String h : List.of("column", "name in the warehouse", "type", "description", "tests")) {
        m.element("th", h, "scope", "col");
      }
      m.close("tr").close("thead").open("tbody");
      for (SourceColumn col : t.columns()) {
        m.open("tr");
        m.open("td").open("code").open("bdi").text(col.name()).close("bdi").close("code").close("td");
        m.open("td").open("code").open("bdi").text(col.physicalName()).close("bdi").close("code").close("td");
        m.element("td", col.type().name().toLowerCase(Locale.ROOT));
        m.open("td").open("bdi").text(col.description()).close("bdi").close("td");
        m.element("td", testsOf(TestTarget.source(t.name()), col.name()));
        m.close("tr");
      }
      m.close("tbody").close("table");
      m.close("section");
    }
    m.close("main");
    return Page.end(m);
  }

  private static String freshness(Freshness f) {
    return "on " + f.timeColumn() + ": warn after " + Durations.format(f.warnAfter()) + ", error after " + Durations.format(f.errorAfter());
  }

  /** The tests on one column of a target: {@code not_null, unique (warn)}. */
  private String testsOf(TestTarget target, String column) {
    return tests.stream()
        .filter(t -> t.target().equals(target) && t.check().column().equals(column))
        .map(t -> t.check().kindName() + (t.severity() == Severity.WARN ? " (warn)" : ""))
        .collect(Collectors.joining(", "));
  }

  // ------------------------------------------------------------------ models

  private String model(PlannedModel p, Map<String, Map<String, String>> full, Map<String, Map<String, String>> incremental) {
    Model model = p.model();
    Markup m = Page.start(p.name());
    m.open("main");
    m.open("nav", "class", "crumbs").element("a", "\u2190 All models", "href", "../" + INDEX).close("nav");
    m.element("h1", p.name());
    if (!model.description().isEmpty()) {
      m.open("p").open("bdi").text(model.description()).close("bdi").close("p");
    }
    m.open("dl", "class", "facts");
    fact(m, "materialization", materialization(model.materialization()));
    model.uniqueKey().ifPresent(k -> fact(m, "unique key", k));
    model.timeColumn().ifPresent(k -> fact(m, "time column", k));
    model.userColumn().ifPresent(k -> fact(m, "user column", k));
    if (!model.lookupColumns().isEmpty()) {
      fact(m, "lookup columns", String.join(", ", model.lookupColumns()));
    }
    m.element("dt", "reads");
    m.open("dd");
    List<String> upstream = new ArrayList<>();
    p.sources().stream().sorted().forEach(s -> upstream.add(Lineage.SOURCE_PREFIX + s));
    p.refs().stream().sorted().forEach(upstream::add);
    links(m, upstream, "../");
    m.close("dd");
    m.element("dt", "read by");
    m.open("dd");
    links(m, downstream.get(p.name()), "../");
    m.close("dd");
    m.close("dl");

    m.element("h2", "Lineage");
    lineage.around(p.name()).writeTo(m, "Lineage of " + p.name() + ": what it reads and what reads it", n -> link(n, "../"), p.name());

    m.element("h2", "Columns");
    m.open("table").open("thead").open("tr");
    for (String h : List.of("#", "column", "type", "description", "tests")) {
      m.element("th", h, "scope", "col");
    }
    m.close("tr").close("thead").open("tbody");
    TestTarget target = TestTarget.model(p.name());
    List<RelDataTypeField> fields = p.rowType().getFieldList();
    for (int i = 0; i < fields.size(); i++) {
      RelDataTypeField f = fields.get(i);
      m.open("tr", "id", "column-" + (i + 1));
      m.element("td", String.valueOf(i + 1), "class", "n");
      m.open("td").open("code").open("bdi").text(f.getName()).close("bdi").close("code").close("td");
      m.element("td", f.getType().getSqlTypeName().getName() + (f.getType().isNullable() ? "" : " NOT NULL"));
      m.open("td").open("bdi").text(model.columnDescriptions().getOrDefault(f.getName(), "")).close("bdi").close("td");
      m.element("td", model.materialization().isMaterialized() ? testsOf(target, f.getName()) : "");
      m.close("tr");
    }
    m.close("tbody").close("table");

    m.element("h2", "Tests");
    List<DataTest> own = tests.stream().filter(t -> t.target().equals(target)).toList();
    if (!model.materialization().isMaterialized()) {
      m.element("p", "An ephemeral model is never stored, so nothing is tested on it; its columns are tested where the models that read it store them.");
    } else if (own.isEmpty()) {
      m.element("p", "No tests.");
    } else {
      m.open("table").open("thead").open("tr");
      for (String h : List.of("test", "column", "severity", "checks")) {
        m.element("th", h, "scope", "col");
      }
      m.close("tr").close("thead").open("tbody");
      for (DataTest t : own) {
        m.open("tr");
        m.open("td").open("code").text(t.name()).close("code").close("td");
        m.open("td").open("code").open("bdi").text(t.check().column()).close("bdi").close("code").close("td");
        m.element("td", t.severity().name().toLowerCase(Locale.ROOT));
        m.open("td").open("bdi").text(checks(t.check())).close("bdi").close("td");
        m.close("tr");
      }
      m.close("tbody").close("table");
    }

    m.element("h2", "SQL");
    m.element(
        "p",
        model.materialization() == Materialization.EPHEMERAL
            ? "The SELECT of this ephemeral model; the models that read it inline it as CTEs. As heap compile writes it."
            : "What a run executes for this model, as heap compile writes it (--mode full, and --mode incremental for an incremental model).");
    boolean first = true;
    for (Warehouse w : warehouses) {
      String table = model.materialization().isMaterialized() ? " \u2014 " + new SqlRenderer(w, plan).tableName(p.name()) : "";
      sqlBlock(m, w.name() + ": full refresh" + table, full.get(w.name()).get(p.name()), first, w.name() + "-full");
      first = false;
      if (model.materialization() == Materialization.INCREMENTAL) {
        sqlBlock(m, w.name() + ": incremental run" + table, incremental.get(w.name()).get(p.name()), false, w.name() + "-incremental");
      }
    }
    m.close("main");
    return Page.end(m);
  }

  private static void sqlBlock(Markup m, String summary, String sql, boolean open, String id) {
    m.open("details", "class", "sql", "id", "sql-" + id, "open", open ? "" : null);
    m.open("summary").open("bdi").text(summary).close("bdi").close("summary");
    m.open("pre").open("code").text(sql).close("code").close("pre");
    m.close("details");
  }

  private static void fact(Markup m, String name, String value) {
    m.element("dt", name).open("dd").open("code").text(value).close("code").close("dd");
  }

  private void links(Markup m, List<String> nodes, String up) {
    if (nodes.isEmpty()) {
      m.text("nothing");
      return;
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (i > 0) {
        m.text(", ");
      }
      String n = nodes.get(i);
      String label = n.startsWith(Lineage.SOURCE_PREFIX) ? n.substring(Lineage.SOURCE_PREFIX.length()) + " (Heap table)" : n;
      m.element("a", label, "href", link(n, up));
    }
  }

  private static String checks(ColumnCheck c) {
    return switch (c.kind()) {
      case NOT_NULL -> "no NULL";
      case UNIQUE -> "no two rows share a value";
      case ACCEPTED_VALUES -> "one of " + c.acceptedValues().stream().map(String::valueOf).collect(Collectors.joining(", "));
      case RELATIONSHIP -> "every value is in " + c.parent().orElseThrow() + "." + c.parentColumn().orElseThrow();
      case CONTAINS_VALUES -> "some row has each of " + c.acceptedValues().stream().map(String::valueOf).collect(Collectors.joining(", "));
    };
  }

  private static String materialization(Materialization m) {
    return switch (m) {
      case EPHEMERAL -> "ephemeral";
      case TABLE -> "table";
      case INCREMENTAL -> "incremental";
    };
  }
}
