package scratch;

import io.heapsdk.analysis.Funnel;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.run.AnalysisRunner;
import io.heapsdk.sample.SampleData;
import io.heapsdk.testing.H2Db;
import io.heapsdk.warehouse.Warehouses;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class TtcScratchTest {
  @Test
  void explain() throws Exception {
    HeapConfig config = SampleData.demoConfig();
    try (H2Db db = H2Db.create(config)) {
      SampleData.of(400, 11).insert(db.connection(), Warehouses.H2, config);
      db.buildStandard();
      AnalysisRunner r = new AnalysisRunner(Warehouses.H2, config);
      Funnel f = Funnel.builder().steps(List.of("view_product", "add_to_cart", "begin_checkout", "purchase")).build();
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        r.run(f, db.connection());
        long t1 = System.nanoTime();
        r.run(f.timeToConvert(1, 4), db.connection());
        long t2 = System.nanoTime();
        r.run(f.timeToConvert(1, 4, 10), db.connection());
        long t3 = System.nanoTime();
        r.run(f.trend(io.heapsdk.model.TimeGrain.WEEK), db.connection());
        long t4 = System.nanoTime();
        System.out.printf("funnel %d ms, ttc auto %d ms, ttc 10 %d ms, trend %d ms%n", (t1 - t0) / 1000000, (t2 - t1) / 1000000, (t3 - t2) / 1000000, (t4 - t3) / 1000000);
      }
      try (Statement s = db.connection().createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + r.sql(f.timeToConvert(1, 4)))) {
        while (rs.next()) {
          String plan = rs.getString(1);
          System.out.println(plan.substring(Math.max(0, plan.length() - 3000)));
        }
      }
    }
  }
}
