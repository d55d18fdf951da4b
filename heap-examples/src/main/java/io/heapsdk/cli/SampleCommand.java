package io.heapsdk.cli;

import io.heapsdk.HeapException;
import io.heapsdk.config.HeapConfig;
import io.heapsdk.sample.SampleData;
import io.heapsdk.source.SourceTable;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code heap sample}: Heap's source tables, created and filled with sample data. */
@Command(
    name = "sample",
    header = "Create Heap's source tables in a database and fill them with sample data.",
    description =
        "Creates Heap Connect's five source tables in source.schema of a database and fills them with"
            + " deterministic sample data: the same users and seed always give the same rows. The tables"
            + " must not exist yet. The data is made for the config `heap demo` writes to heap.yml: pass"
            + " that file as --config here and to `heap run` to see funnels and conversions.")
final class SampleCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Option(names = "--jdbc", required = true, paramLabel = "URL", description = "The database, e.g. jdbc:h2:file:./heap-db (H2 only).")
  String url;

  @Option(names = "--users", required = true, paramLabel = "N", description = "Sample users; 0 creates empty tables.")
  int users;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "42", description = "Seed of the sample data (default: ${DEFAULT-VALUE}).")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (users < 0) {
      throw new ParameterException(spec.commandLine(), "--users must be 0 or more, got " + users);
    }
    HeapConfig c = config.load();
    PrintWriter out = spec.commandLine().getOut();
    try (Database db = Database.open(url)) {
      refuseExistingTables(db, c);
      long start = System.nanoTime();
      Map<String, Long> counts = SampleData.of(users, seed).load(db.connection(), db.warehouse(), c);
      out.printf(
          Locale.ROOT,
          "created Heap's tables in schema %s and loaded %,d sample users in %,d ms%n",
          c.sourceSchema(), users, (System.nanoTime() - start) / 1_000_000);
      Reports.loaded(out, counts);
    }
    return HeapCli.OK;
  }

  /** Says which tables are in the way, rather than the database's error about the first one. */
  private static void refuseExistingTables(Database db, HeapConfig c) {
    List<String> existing = new ArrayList<>();
    for (SourceTable t : c.catalog().tables()) {
      if (db.exists(db.warehouse().qualified(c.sourceDatabase(), c.sourceSchema(), t.physicalName()))) {
        existing.add(t.physicalName());
      }
    }
    if (!existing.isEmpty()) {
      throw new HeapException(
          "schema " + c.sourceSchema() + " of " + db.url() + " already has Heap tables " + existing
              + "; heap sample creates them: use another database or schema (source.schema), or drop them");
    }
  }
}
