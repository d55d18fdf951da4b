package io.heapsdk.docs;

import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A left-to-right layered drawing of a directed acyclic graph, in the manner of Sugiyama et al.: each
 * node in the layer one past its longest incoming path (sources at 0, so everything a model reads is to
 * its left); an edge that spans several layers passes through a dummy point in each; the order within
 * each layer by repeated barycenter sweeps, keeping the order with the fewest crossings; then each node
 * moved towards the mean height of its neighbours while keeping its layer's order and spacing.
 */
final class LayeredLayout {
  /** An edge of the graph, {@code from} drawn left of {@code to}. */
  record Edge(String from, String to) {}

  /** A position: the top-left corner of a node, or a point an edge passes through. */
  record Point(double x, double y) {}

  private final double nodeWidth;
  private final double nodeHeight;
  private final double layerGap;
  private final double nodeGap;

  private final Map<String, Integer> layer = new HashMap<>();
  private final List<List<String>> layers = new ArrayList<>();
  private final Map<String, List<String>> up = new HashMap<>();
  private final Map<String, List<String>> down = new HashMap<>();
  private final Map<Edge, List<String>> chains = new LinkedHashMap<>();
  private final Map<String, Double> y = new HashMap<>();
  private final List<String> real;
  private int crossings;

  /**
   * Lays the graph out.
   *
   * @param nodes the nodes, in a preferred order (the first of equals is drawn highest)
   * @param edges the edges; the graph must be acyclic and every edge's ends in {@code nodes}
   */
  LayeredLayout(List<String> nodes, List<Edge> edges, double nodeWidth, double nodeHeight, double layerGap, double nodeGap) {
    this.nodeWidth = nodeWidth;
    this.nodeHeight = nodeHeight;
    this.layerGap = layerGap;
    this.nodeGap = nodeGap;
    this.real = List.copyOf(nodes);
    assignLayers(nodes, edges);
    addDummies(edges);
    order();
    place();
  }

  private void assignLayers(List<String> nodes, List<Edge> edges) {
    Map<String, List<String>> out = new HashMap<>();
    Map<String, Integer> indegree = new LinkedHashMap<>();
    nodes.forEach(n -> indegree.put(n, 0));
    for (Edge e : edges) {
      if (!indegree.containsKey(e.from()) || !indegree.containsKey(e.to())) {
        throw new IllegalArgumentException("edge " + e + " names a node that is not in the graph");
      }
      out.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e.to());
      indegree.merge(e.to(), 1, Integer::sum);
    }
    Deque<String> ready = new ArrayDeque<>();
    indegree.forEach((n, d) -> {
      if (d == 0) {
        ready.add(n);
        layer.put(n, 0);
      }
    });
    int seen = 0;
    while (!ready.isEmpty()) {
      String n = ready.poll();
      seen++;
      for (String m : out.getOrDefault(n, List.of())) {
        layer.merge(m, layer.get(n) + 1, Math::max);
        if (indegree.merge(m, -1, Integer::sum) == 0) {
          ready.add(m);
        }
      }
    }
    if (seen != nodes.size()) {
      throw new IllegalArgumentException("the graph has a cycle");
    }
    for (String n : nodes) {
      int l = layer.get(n);
      while (layers.size() <= l) {
        layers.add(new ArrayList<>());
      }
      layers.get(l).add(n);
    }
  }

  private void addDummies(List<Edge> edges) {
    int dummies = 0;
    for (Edge e : edges) {
      List<String> chain = new ArrayList<>();
      String previous = e.from();
      for (int l = layer.get(e.from()) + 1; l < layer.get(e.to()); l++) {
        // a character no node name holds, so a dummy never takes a real node's name
        String d = "\u0000" + (dummies++);
        layer.put(d, l);
        layers.get(l).add(d);
        chain.add(d);
        link(previous, d);
        previous = d;
      }
      link(previous, e.to());
      chains.put(e, chain);
    }
  }

  private void link(String from, String to) {
    down.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
    up.computeIfAbsent(to, k -> new ArrayList<>()).add(from);
  }

  /** Barycenter sweeps, down then up, keeping the best order seen. */
  private void order() {
    List<List<String>> best = copy(layers);
    int bestCrossings = countCrossings(layers);
    for (int sweep = 0; sweep < 12 && bestCrossings > 0; sweep++) {
      boolean downwards = sweep % 2 == 0;
      if (downwards) {
        for (int l = 1; l < layers.size(); l++) {
          sortByBarycenter(layers.get(l), layers.get(l - 1), up);
        }
      } else {
        for (int l = layers.size() - 2; l >= 0; l--) {
          sortByBarycenter(layers.get(l), layers.get(l + 1), down);
        }
      }
      int c = countCrossings(layers);
      if (c < bestCrossings) {
        bestCrossings = c;
        best = copy(layers);
      }
    }
    for (int l = 0; l < layers.size(); l++) {
      layers.set(l, best.get(l));
    }
    crossings = bestCrossings;
  }

  private static void sortByBarycenter(List<String> layer, List<String> fixed, Map<String, List<String>> neighbours) {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < fixed.size(); i++) {
      position.put(fixed.get(i), i);
    }
    Map<String, Double> key = new HashMap<>();
    for (int i = 0; i < layer.size(); i++) {
      String n = layer.get(i);
      List<String> ns = neighbours.getOrDefault(n, List.of());
      // a node without neighbours there keeps its place
      key.put(n, ns.isEmpty() ? i : ns.stream().mapToInt(position::get).average().orElse(i));
    }
    layer.sort(Comparator.comparingDouble(key::get));
  }

  private int countCrossings(List<List<String>> layers) {
    int total = 0;
    for (int l = 0; l + 1 < layers.size(); l++) {
      Map<String, Integer> position = new HashMap<>();
      List<String> next = layers.get(l + 1);
      for (int i = 0; i < next.size(); i++) {
        position.put(next.get(i), i);
      }
      List<int[]> segments = new ArrayList<>();
      List<String> here = layers.get(l);
      for (int i = 0; i < here.size(); i++) {
        for (String to : down.getOrDefault(here.get(i), List.of())) {
          segments.add(new int[] {i, position.get(to)});
        }
      }
      for (int a = 0; a < segments.size(); a++) {
        for (int b = a + 1; b < segments.size(); b++) {
          int[] s = segments.get(a);
          int[] t = segments.get(b);
          if ((s[0] - t[0]) * (s[1] - t[1]) < 0) {
            total++;
          }
        }
      }
    }
    return total;
  }

  private static List<List<String>> copy(List<List<String>> layers) {
    List<List<String>> c = new ArrayList<>();
    layers.forEach(l -> c.add(new ArrayList<>(l)));
    return c;
  }

  /** Heights: stacked, then pulled towards the neighbours' mean a few times, order and spacing kept. */
  private void place() {
    for (List<String> l : layers) {
      double at = 0;
      for (String n : l) {
        y.put(n, at);
        at += height(n) + gapAfter(n);
      }
    }
    for (int round = 0; round < 8; round++) {
      boolean downwards = round % 2 == 0;
      for (int i = 0; i < layers.size(); i++) {
        int l = downwards ? i : layers.size() - 1 - i;
        List<String> nodes = layers.get(l);
        double[] wanted = new double[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
          String n = nodes.get(k);
          List<String> ns = new ArrayList<>(up.getOrDefault(n, List.of()));
          ns.addAll(down.getOrDefault(n, List.of()));
          wanted[k] =
              ns.isEmpty() ? y.get(n) : ns.stream().mapToDouble(m -> y.get(m) + height(m) / 2).average().orElse(0) - height(n) / 2;
        }
        double[] at = keepOrder(nodes, wanted);
        for (int k = 0; k < at.length; k++) {
          y.put(nodes.get(k), at[k]);
        }
      }
    }
    double top = y.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    y.replaceAll((n, v) -> v - top);
  }

  /**
   * The heights closest to {@code wanted} (least squares) that keep the layer's order and spacing: with
   * each node's offset below the first one taken out, an isotonic regression, by pooling adjacent
   * violators.
   */
  private double[] keepOrder(List<String> nodes, double[] wanted) {
    int n = wanted.length;
    double[] offset = new double[n];
    for (int k = 1; k < n; k++) {
      offset[k] = offset[k - 1] + height(nodes.get(k - 1)) + gapAfter(nodes.get(k - 1));
    }
    double[] mean = new double[n];
    int[] size = new int[n];
    int blocks = 0;
    for (int k = 0; k < n; k++) {
      mean[blocks] = wanted[k] - offset[k];
      size[blocks] = 1;
      blocks++;
      while (blocks > 1 && mean[blocks - 2] > mean[blocks - 1]) {
        int total = size[blocks - 2] + size[blocks - 1];
        mean[blocks - 2] = (mean[blocks - 2] * size[blocks - 2] + mean[blocks - 1] * size[blocks - 1]) / total;
        size[blocks - 2] = total;
        blocks--;
      }
    }
    double[] at = new double[n];
    int k = 0;
    for (int b = 0; b < blocks; b++) {
      for (int i = 0; i < size[b]; i++, k++) {
        at[k] = mean[b] + offset[k];
      }
    }
    return at;
  }

  private static boolean dummy(String n) {
    return n.startsWith("\u0000");
  }

  private double height(String n) {
    return dummy(n) ? 0 : nodeHeight;
  }

  private double gapAfter(String n) {
    return dummy(n) ? nodeGap / 2 : nodeGap;
  }

  /** The top-left corner of a node. */
  Point position(String node) {
    return new Point(layer.get(node) * (nodeWidth + layerGap), y.get(node));
  }

  /** The layer of a node, 0 for those without incoming edges. */
  int layer(String node) {
    return layer.get(node);
  }

  /** The points an edge passes through between its ends (one per layer it crosses), left to right. */
  List<Point> route(Edge e) {
    List<Point> points = new ArrayList<>();
    for (String d : chains.getOrDefault(e, List.of())) {
      points.add(new Point(layer.get(d) * (nodeWidth + layerGap) + nodeWidth / 2, y.get(d)));
    }
    return points;
  }

  /** The nodes in the order given. */
  List<String> nodes() {
    return real;
  }

  /** Edge crossings between adjacent layers in the chosen order. */
  int crossings() {
    return crossings;
  }

  double width() {
    return layers.size() * (nodeWidth + layerGap) - layerGap;
  }

  double height() {
    double h = 0;
    for (Map.Entry<String, Double> e : y.entrySet()) {
      h = Math.max(h, e.getValue() + height(e.getKey()));
    }
    return h;
  }
}
