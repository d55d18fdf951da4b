package io.heapsdk.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The most frequent paths from (or to) an event as a tree: the event at the root, each next event a
 * column further, paths sharing a beginning sharing its nodes. Every node shows its event, how many
 * units took the path so far and a bar of their share of all the paths drawn; each path gets a row of
 * its own, so every number stays legible. Paths before an event grow leftwards from it, nearest event
 * first.
 *
 * <p>Marks: {@code g.mark.node} with {@code data-depth} (0 for the root), {@code data-label} (the
 * event), {@code data-value} (units), {@code data-share} (when known); the node where a given path ends
 * also carries {@code data-row} (its index in the input) and {@code data-steps} (its events, a JSON
 * array, in time order). A path that is the start of another longer one ends at a node labelled
 * {@code (end)}.
 */
public final class PathTree implements Chart {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double COLUMN = 196;
  private static final double GAP = 18;
  private static final double ROW = 28;
  private static final String END = "(end)";

  /**
   * One path.
   *
   * @param events its events in time order (after the anchor, or before it)
   * @param count units that took it
   * @param share its share of all units (of all paths, not only the ones drawn); NULL when not known
   */
  public record Path(List<String> events, long count, Double share) {
    public Path {
      events = List.copyOf(events);
    }
  }

  private final String title;
  private final String anchor;
  private final boolean before;
  private final String unit;
  private final List<Path> paths;

  /**
   * @param title the figure's caption
   * @param anchor the event the paths start from (or lead to)
   * @param before whether the paths lead to {@code anchor} rather than start from it
   * @param unit what is counted, plural: {@code users}, {@code sessions}
   * @param paths the paths, most frequent first
   */
  public PathTree(String title, String anchor, boolean before, String unit, List<Path> paths) {
    this.title = Objects.requireNonNull(title, "title");
    this.anchor = Objects.requireNonNull(anchor, "anchor");
    this.before = before;
    this.unit = Objects.requireNonNull(unit, "unit");
    this.paths = List.copyOf(paths);
  }

  private static final class Node {
    final String label;
    final int depth;
    long count;
    Double share = 0.0;
    final Map<String, Node> children = new LinkedHashMap<>();
    /** The paths that end here (normally none or one). */
    final List<Integer> ends = new ArrayList<>();
    /** The path this node draws the end of; NULL for a node that is not the end of one path. */
    Integer row;
    int firstRow;
    int rows;

    Node(String label, int depth) {
      this.label = label;
      this.depth = depth;
    }

    /** Children, most units first; {@code (end)} nodes last. */
    List<Node> ordered() {
      List<Node> c = new ArrayList<>(children.values());
      c.sort(Comparator.comparing((Node n) -> n.label.equals(END) && n.row != null).thenComparing(Comparator.comparingLong((Node n) -> n.count).reversed()));
      return c;
    }
  }

  @Override
  public void writeTo(Markup m) {
    Svg.figure(m, "paths", title);
    Node root = tree();
    long shown = root.count;
    // the root is everyone who did the anchor, not the sum of the paths shown: the top paths of a long
    // tail hold a part of them (a root of "319 users (78.0%)" read as the event's total, where 409 did it)
    anchorTotal().filter(t -> t >= shown).ifPresent(t -> {
      root.count = t;
      root.share = 1.0;
    });
    int rows = layout(root, 0);
    int maxDepth = maxDepth(root);
    double width = (maxDepth + 1) * (COLUMN + GAP);
    double height = 22 + Math.max(1, rows) * ROW;
    m.open("div", "class", "scroll");
    Svg.open(m, width, height, title, paths.size() + " most frequent paths " + (before ? "before " : "after ") + anchor + ", "
        + (root.count == shown ? Numbers.count(shown) + " " + unit + " in all"
            : "of the " + Numbers.count(root.count) + " " + unit + " who did it; they hold " + Numbers.count(shown))
        + "; each column is one more event.");
    for (int d = 0; d <= maxDepth; d++) {
      m.element("text", d == 0 ? anchor : (before ? "\u2212" : "+") + d, "x", x(d, maxDepth) + 4, "y", 14.0, "class", "muted small");
    }
    edges(m, root, maxDepth);
    nodes(m, root, root.count, maxDepth);
    m.close("svg").close("div");
    List<Boolean> numeric = List.of(false, true, true);
    Svg.table(m, List.of("path", unit, "share"), numeric);
    for (Path p : paths) {
      Svg.row(m, List.of(shown(p), Numbers.count(p.count()), Numbers.percent(p.share())), numeric);
    }
    Svg.endTable(m);
    m.close("figure");
  }

  private String shown(Path p) {
    String events = String.join(" \u2192 ", p.events());
    if (p.events().isEmpty()) {
      return anchor;
    }
    return before ? events + " \u2192 " + anchor : anchor + " \u2192 " + events;
  }

  /**
   * How many units did the anchor, from a path's count and share of them ({@code count / share}); empty
   * when no path has a share.
   */
  private Optional<Long> anchorTotal() {
    return paths.stream().filter(p -> p.share() != null && p.share() > 0).findFirst().map(p -> Math.round(p.count() / p.share()));
  }

  /** The prefix tree of the paths (nearest event first), every node counting the paths through it. */
  private Node tree() {
    Node root = new Node(anchor, 0);
    for (int i = 0; i < paths.size(); i++) {
      Path p = paths.get(i);
      List<String> steps = new ArrayList<>(p.events());
      if (before) {
        Collections.reverse(steps);
      }
      add(root, p);
      Node n = root;
      for (String step : steps) {
        Node parent = n;
        n = parent.children.computeIfAbsent(step, s -> new Node(s, parent.depth + 1));
        add(n, p);
      }
      n.ends.add(i);
    }
    markEnds(root);
    return root;
  }

  /**
   * A node where exactly one path ends and none goes on draws that path's end; otherwise each path that
   * ends there gets an {@code (end)} node of its own, so every path has one node with its row.
   */
  private void markEnds(Node n) {
    List<Node> real = new ArrayList<>(n.children.values());
    if (n.ends.size() == 1 && real.isEmpty() && n.depth > 0) {
      n.row = n.ends.get(0);
    } else {
      for (int row : n.ends) {
        Node end = new Node(END, n.depth + 1);
        add(end, paths.get(row));
        end.row = row;
        n.children.put("\u0000" + row, end);
      }
    }
    real.forEach(this::markEnds);
  }

  private static void add(Node n, Path p) {
    n.count += p.count();
    n.share = n.share == null || p.share() == null ? null : n.share + p.share();
  }

  /** Gives every leaf a row, every node the rows of its leaves; returns the next free row. */
  private static int layout(Node n, int row) {
    n.firstRow = row;
    if (n.children.isEmpty()) {
      n.rows = 1;
      return row + 1;
    }
    int next = row;
    for (Node c : n.ordered()) {
      next = layout(c, next);
    }
    n.rows = next - row;
    return next;
  }

  private static int maxDepth(Node n) {
    int d = n.depth;
    for (Node c : n.children.values()) {
      d = Math.max(d, maxDepth(c));
    }
    return d;
  }

  private double x(int depth, int maxDepth) {
    return (before ? maxDepth - depth : depth) * (COLUMN + GAP);
  }

  private static double y(Node n) {
    return 22 + n.firstRow * ROW;
  }

  private void edges(Markup m, Node n, int maxDepth) {
    for (Node c : n.ordered()) {
      double fromY = y(n) + ROW / 2 - 2;
      double toY = y(c) + ROW / 2 - 2;
      double fromX = before ? x(n.depth, maxDepth) : x(n.depth, maxDepth) + COLUMN;
      double toX = before ? x(c.depth, maxDepth) + COLUMN : x(c.depth, maxDepth);
      double mid = (fromX + toX) / 2;
      m.empty(
          "path",
          "d", "M" + Markup.coordinate(fromX) + " " + Markup.coordinate(fromY) + " C" + Markup.coordinate(mid) + " " + Markup.coordinate(fromY) + " "
              + Markup.coordinate(mid) + " " + Markup.coordinate(toY) + " " + Markup.coordinate(toX) + " " + Markup.coordinate(toY),
          "fill", "none", "stroke", "#9aa5b1", "stroke-width", 1.5);
      edges(m, c, maxDepth);
    }
  }

  private void nodes(Markup m, Node n, long total, int maxDepth) {
    double x = x(n.depth, maxDepth);
    double y = y(n);
    double h = n.rows * ROW - 4;
    String fill = n.depth == 0 ? "#e3e6ea" : n.label.equals(END) ? "#ffffff" : Colors.tint(n.label);
    String steps = null;
    if (n.row != null) {
      try {
        steps = JSON.writeValueAsString(paths.get(n.row).events());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a list of strings always serializes", e);
      }
    }
    m.open(
        "g",
        new Object[] {
          "class", "mark node", "data-depth", n.depth, "data-label", n.label, "data-value", n.count, "data-share", Numbers.exact(n.share),
          "data-row", n.row, "data-steps", steps
        });
    m.element(
        "title",
        (n.depth == 0 ? Svg.inText(anchor) : pathTo(n)) + ": " + Numbers.count(n.count) + " " + unit + (n.share == null ? "" : " (" + Numbers.percent(n.share) + ")"));
    m.empty("rect", "x", x, "y", y, "width", COLUMN, "height", h, "rx", 3.0, "fill", fill, "stroke", "#9aa5b1", "stroke-width", 1.0);
    double bar = total <= 0 ? 0 : (COLUMN - 8) * n.count / total;
    m.empty("rect", "x", x + 4, "y", y + h - 5, "width", bar, "height", 3.0, "fill", Colors.BAR);
    Svg.label(m, n.label, x + 6, y + 16, COLUMN - 70, "start", n.label.equals(END) ? "muted" : null);
    m.element("text", Numbers.count(n.count), "x", x + COLUMN - 6, "y", y + 16, "text-anchor", "end", "class", "num");
    m.close("g");
    for (Node c : n.ordered()) {
      nodes(m, c, total, maxDepth);
    }
  }

  private String pathTo(Node n) {
    if (n.row != null) {
      return Svg.inText(shown(paths.get(n.row)));
    }
    return Svg.inText(anchor) + (before ? " \u2190 " : " \u2192 ") + Svg.inText(n.label) + (n.depth > 1 ? " (" + n.depth + " events " + (before ? "before" : "after") + ")" : "");
  }
}
