package io.heapsdk.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.heapsdk.model.HeapProject;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.sample.SampleData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lineage's layout: layers, order, spacing, and routes of long edges. */
class LayeredLayoutTest {
  private static final double W = 100;
  private static final double H = 40;

  @Test
  void eachNodeIsOneLayerPastItsLongestInput() {
    // a → b → c and a → c: c is in layer 2, not 1
    LayeredLayout l = layout(List.of("a", "b", "c"), edge("a", "b"), edge("b", "c"), edge("a", "c"));
    assertThat(List.of(l.layer("a"), l.layer("b"), l.layer("c"))).containsExactly(0, 1, 2);
    // the long edge a → c passes through one point in layer 1, beside b, not over it
    List<LayeredLayout.Point> route = l.route(edge("a", "c"));
    assertThat(route).hasSize(1);
    double y = route.get(0).y();
    double top = l.position("b").y();
    assertThat(y < top || y > top + H).as("route at %s, b from %s to %s", y, top, top + H).isTrue();
  }

  @Test
  void theOrderRemovesCrossingsThatCanBeRemoved() {
    // given in the crossing order: a→d, b→c; the sweeps swap c and d
    LayeredLayout l = layout(List.of("a", "b", "c", "d"), edge("a", "d"), edge("b", "c"));
    assertThat(l.crossings()).isZero();
    assertThat(l.position("d").y()).isLessThan(l.position("c").y());
  }

  @Test
  void nodesOfALayerNeverOverlap() {
    List<String> nodes = new ArrayList<>(List.of("root"));
    List<LayeredLayout.Edge> edges = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      nodes.add("n" + i);
      edges.add(edge("root", "n" + i));
      if (i % 3 == 0) {
        nodes.add("m" + i);
        edges.add(edge("n" + i, "m" + i));
        edges.add(edge("root", "m" + i));
      }
    }
    LayeredLayout l = new LayeredLayout(nodes, edges, W, H, 40, 10);
    for (String a : nodes) {
      for (String b : nodes) {
        if (!a.equals(b) && l.layer(a) == l.layer(b)) {
          double ya = l.position(a).y();
          double yb = l.position(b).y();
          assertThat(Math.abs(ya - yb)).as("%s at %s, %s at %s", a, ya, b, yb).isGreaterThanOrEqualTo(H + 10 - 1e-9);
        }
      }
    }
    assertThat(nodes.stream().mapToDouble(n -> l.position(n).y())).allMatch(y -> y >= 0 && y + H <= l.height() + 1e-9);
  }

  @Test
  void aCycleIsRefused() {
    assertThatThrownBy(() -> layout(List.of("a", "b"), edge("a", "b"), edge("b", "a"))).hasMessageContaining("cycle");
    assertThatThrownBy(() -> layout(List.of("a"), edge("a", "z"))).hasMessageContaining("not in the graph");
  }

  @Test
  void theDemoProjectReadsLeftToRightWithoutCrossings() {
    ProjectPlan plan = io.heapsdk.cli.DemoProjects.demo().plan();
    Lineage lineage = Lineage.of(plan, SampleData.demoConfig().catalog().tableNames(), Map.of());
    LayeredLayout l = lineage.layout();
    for (LayeredLayout.Edge e : lineage.edges()) {
      assertThat(l.layer(e.from())).as(e.toString()).isLessThan(l.layer(e.to()));
    }
    // Heap's tables, then the ephemeral staging models, the facts, and the demo's own models last
    assertThat(l.layer("source:pageviews")).isZero();
    assertThat(l.layer("src_heap_pageviews_eph")).isEqualTo(1);
    assertThat(l.layer("stg_heap_sessions_inc_fct")).isEqualTo(3);
    assertThat(l.layer("demo_sessions_per_channel")).isEqualTo(4);
    assertThat(l.crossings()).isZero();
  }

  private static LayeredLayout layout(List<String> nodes, LayeredLayout.Edge... edges) {
    return new LayeredLayout(nodes, List.of(edges), W, H, 40, 10);
  }

  private static LayeredLayout.Edge edge(String from, String to) {
    return new LayeredLayout.Edge(from, to);
  }
}
