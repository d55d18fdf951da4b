package io.heapsdk.scratch;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.model.HeapProject;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import io.heapsdk.warehouse.Warehouses;
import org.junit.jupiter.api.Test;

class ScratchPrint {
  @Test
  void print() {
    HeapConfig config = HeapConfig.builder().funnelEvents(java.util.List.of("view_product", "add_to_cart", "it's \\ -- x")).conversionEvents(java.util.List.of("purchase")).ownDomain("example.com").build();
    ProjectPlan plan = HeapProject.standard(config).plan();
    for (Warehouse w : Warehouses.all()) {
      SqlRenderer r = new SqlRenderer(w, plan);
      for (PlannedModel m : plan.models()) {
        System.out.println("=== " + w.name() + " / " + m.name());
        System.out.println(r.select(m.name()));
      }
    }
  }
}
