package io.heapsdk.cli;

import java.nio.file.Path;

/**
 * Every test of {@link AnalysisCommandsTest} (funnel, attribution) on a DuckDB file database instead of H2: the same
 * hand-checked expected values.
 */
class AnalysisCommandsOnDuckDbTest extends AnalysisCommandsTest {
  @Override
  String databaseUrl(Path dir) {
    return "jdbc:duckdb:" + dir.resolve("db.duckdb");
  }
}
