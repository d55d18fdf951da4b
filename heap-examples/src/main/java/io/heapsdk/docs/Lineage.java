package io.heapsdk.docs;

import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.report.Markup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The lineage of a project: Heap's source tables and the models, an edge from everything a model reads
 * to the model; drawn left to right by {@link LayeredLayout}, so sources come first, then the ephemeral
 * staging models, the facts, and the models built on them. Every node is a link to its page.
 */
final class Lineage {
  static final String SOURCE_PREFIX = "source:";

  private static final double NODE_HEIGHT = 40;
  private static final double LAYER_GAP = 44;
  private static final double NODE_GAP = 14;
  private static final double MARGIN = 8;

  /** The width of a character of a node's label (12px, semi-bold; names are ASCII), a little generous. */
  private static final double CHAR_PX = 7.4;

  /** What a node is; its colours and the second line of its box. */
  enum Kind {
    SOURCE("Heap table", "#eef2f7", "#64748b"),
    EPHEMERAL("ephemeral", "#ffffff", "#64748b"),
    TABLE("table", "#dcfce7", "#15803d"),
    INCREMENTAL("incremental fact", "#dbeafe", "#1d4ed8");

    final String text;
    final String fill;
    final String stroke;

    Kind(String text, String fill, String stroke) {
      this.text = text;
      this.fill = fill;
      this.stroke = stroke;
    }
  }

  private final List<String> nodes;
  private final List<LayeredLayout.Edge> edges;
  private final Map<String, Kind> kinds;
  private final Map<String, String> tooltips;

  private Lineage(List<String> nodes, List<LayeredLayout.Edge> edges, Map<String, Kind> kinds, Map<String, String> tooltips) {
    this.nodes = nodes;
    this.edges = edges;
    this.kinds = kinds;
    this.tooltips = tooltips;
  }

  /** Every source table and every model of the plan; source nodes are named {@code source:<table>}. */
  static Lineage of(ProjectPlan plan, List<String> sourceTables, Map<String, String> sourceDescriptions) {
    List<String> nodes = new ArrayList<>();
    Map<String, Kind> kinds = new HashMap<>();
    Map<String, String> tooltips = new HashMap<>();
    for (String t : sourceTables) {
      nodes.add(SOURCE_PREFIX + t);
      kinds.put(SOURCE_PREFIX + t, Kind.SOURCE);
      tooltips.put(SOURCE_PREFIX + t, t + " (Heap table): " + sourceDescriptions.getOrDefault(t, ""));
    }
    List<LayeredLayout.Edge> edges = new ArrayList<>();
    for (PlannedModel m : plan.models()) {
      nodes.add(m.name());
      Materialization mat = m.model().materialization();
      kinds.put(m.name(), mat == Materialization.EPHEMERAL ? Kind.EPHEMERAL : mat == Materialization.TABLE ? Kind.TABLE : Kind.INCREMENTAL);
      String description = m.model().description();
      tooltips.put(m.name(), m.name() + " (" + kinds.get(m.name()).text + ")" + (description.isEmpty() ? "" : ": " + description));
      m.sources().stream().sorted().forEach(s -> edges.add(new LayeredLayout.Edge(SOURCE_PREFIX + s, m.name())));
      m.refs().stream().sorted().forEach(r -> edges.add(new LayeredLayout.Edge(r, m.name())));
    }
    return new Lineage(nodes, edges, kinds, tooltips);
  }

  /** The part of the lineage a node is in: it, everything upstream and everything downstream of it. */
  Lineage around(String node) {
    Set<String> keep = new LinkedHashSet<>();
    keep.add(node);
    walk(node, true, keep);
    walk(node, false, keep);
    List<String> n = nodes.stream().filter(keep::contains).toList();
    List<LayeredLayout.Edge> e = edges.stream().filter(x -> keep.contains(x.from()) && keep.contains(x.to())).toList();
    return new Lineage(n, e, kinds, tooltips);
  }

  private void walk(String start, boolean upstream, Set<String> seen) {
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String n = todo.poll();
      for (LayeredLayout.Edge e : edges) {
        String next = upstream ? (e.to().equals(n) ? e.from() : null) : (e.from().equals(n) ? e.to() : null);
        if (next != null && seen.add(next)) {
          todo.add(next);
        }
      }
    }
  }

  List<String> nodes() {
    return nodes;
  }

  List<LayeredLayout.Edge> edges() {
    return edges;
  }

  LayeredLayout layout() {
    return new LayeredLayout(nodes, edges, nodeWidth(), NODE_HEIGHT, LAYER_GAP, NODE_GAP);
  }

  private double nodeWidth() {
    double widest = nodes.stream().mapToDouble(n -> label(n).length() * CHAR_PX).max().orElse(100);
    return Math.min(300, Math.max(140, widest + 18));
  }

  private static String label(String node) {
    return node.startsWith(SOURCE_PREFIX) ? node.substring(SOURCE_PREFIX.length()) : node;
  }

  /**
   * Writes the graph as SVG.
   *
   * @param href the link of a node (a model's page, a source table's section)
   * @param current the node to highlight (the page's own model); NULL for none
   */
  void writeTo(Markup m, String title, Function<String, String> href, String current) {
    LayeredLayout layout = layout();
    double nodeWidth = nodeWidth();
    double width = layout.width() + 2 * MARGIN;
    double height = layout.height() + 2 * MARGIN;
    String t = m.newId("t");
    String d = m.newId("d");
    m.open("div", "class", "scroll");
    m.open(
        "svg", "class", "lineage", "width", Math.ceil(width), "height", Math.ceil(height),
        "viewBox", "0 0 " + Markup.coordinate(Math.ceil(width)) + " " + Markup.coordinate(Math.ceil(height)),
        "role", "group", "aria-labelledby", t + " " + d);
    m.element("title", title, "id", t);
    m.element(
        "desc",
        nodes.size() + " nodes, " + edges.size() + " edges, read left to right: each model comes after what it reads. Every node links to its page.",
        "id", d);
    for (LayeredLayout.Edge e : edges) {
      edge(m, layout, e, nodeWidth);
    }
    for (String n : nodes) {
      LayeredLayout.Point p = layout.position(n);
      Kind kind = kinds.get(n);
      double x = p.x() + MARGIN;
      double y = p.y() + MARGIN;
      boolean here = n.equals(current);
      m.open("a", "href", href.apply(n), "aria-label", tooltips.get(n));
      m.open(
          "g", "class", "node" + (here ? " current" : ""), "data-node", n, "data-kind", kind.name().toLowerCase(java.util.Locale.ROOT),
          "data-layer", layout.layer(n));
      m.element("title", tooltips.get(n));
      m.empty(
          "rect", "x", x, "y", y, "width", nodeWidth, "height", NODE_HEIGHT, "rx", 4.0, "fill", kind.fill, "stroke", here ? "#1f2933" : kind.stroke,
          "stroke-width", here ? 3.0 : 1.5, "stroke-dasharray", kind == Kind.EPHEMERAL ? "5 3" : null);
      m.element("text", fit(label(n), nodeWidth - 16), "x", x + 8, "y", y + 17, "class", "node-label");
      m.element("text", kind.text, "x", x + 8, "y", y + 33, "class", "muted small");
      m.close("g").close("a");
    }
    m.close("svg").close("div");
  }

  private void edge(Markup m, LayeredLayout layout, LayeredLayout.Edge e, double nodeWidth) {
    List<LayeredLayout.Point> points = new ArrayList<>();
    LayeredLayout.Point from = layout.position(e.from());
    LayeredLayout.Point to = layout.position(e.to());
    points.add(new LayeredLayout.Point(from.x() + nodeWidth + MARGIN, from.y() + NODE_HEIGHT / 2 + MARGIN));
    for (LayeredLayout.Point p : layout.route(e)) {
      // through a layer: straight across where the nodes are, curving only in the gaps
      points.add(new LayeredLayout.Point(p.x() - nodeWidth / 2 + MARGIN, p.y() + MARGIN));
      points.add(new LayeredLayout.Point(p.x() + nodeWidth / 2 + MARGIN, p.y() + MARGIN));
    }
    double endX = to.x() + MARGIN - 1;
    double endY = to.y() + NODE_HEIGHT / 2 + MARGIN;
    points.add(new LayeredLayout.Point(endX - 6, endY));
    StringBuilder path = new StringBuilder("M").append(Markup.coordinate(points.get(0).x())).append(' ').append(Markup.coordinate(points.get(0).y()));
    for (int i = 1; i < points.size(); i++) {
      LayeredLayout.Point a = points.get(i - 1);
      LayeredLayout.Point b = points.get(i);
      if (i % 2 == 0 && i < points.size() - 1) {
        path.append(" L").append(Markup.coordinate(b.x())).append(' ').append(Markup.coordinate(b.y()));
      } else {
        double mid = (a.x() + b.x()) / 2;
        path.append(" C").append(Markup.coordinate(mid)).append(' ').append(Markup.coordinate(a.y())).append(' ')
            .append(Markup.coordinate(mid)).append(' ').append(Markup.coordinate(b.y())).append(' ')
            .append(Markup.coordinate(b.x())).append(' ').append(Markup.coordinate(b.y()));
      }
    }
    m.empty("path", "class", "edge", "d", path.toString(), "fill", "none", "stroke", "#8792a2", "stroke-width", 1.4,
        "data-from", e.from(), "data-to", e.to());
    m.empty(
        "polygon", "points",
        Markup.coordinate(endX - 7) + "," + Markup.coordinate(endY - 4) + " " + Markup.coordinate(endX) + "," + Markup.coordinate(endY) + " "
            + Markup.coordinate(endX - 7) + "," + Markup.coordinate(endY + 4),
        "fill", "#8792a2");
  }

  private static String fit(String text, double px) {
    int max = (int) (px / CHAR_PX);
    return text.length() <= max ? text : text.substring(0, Math.max(1, max - 1)) + "\u2026";
  }
}
