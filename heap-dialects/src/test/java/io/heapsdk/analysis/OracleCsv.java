package io.heapsdk.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the peer projects' CSV files from the test resources: a header, then rows; double quotes around a field are dropped. */
final class OracleCsv {
  private OracleCsv() {}

  /** The rows of a resource as header name to value (empty for an empty field). */
  static List<Map<String, String>> read(String resource) {
    try (InputStream in = OracleCsv.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n");
      String[] header = split(lines[0]);
      List<Map<String, String>> rows = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        String[] cells = split(lines[i]);
        Map<String, String> row = new LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
          row.put(header[c], c < cells.length ? cells[c] : "");
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String[] split(String line) {
    // none of the oracle files quote a comma, so a plain split is enough
    String[] cells = line.split(",", -1);
    for (int i = 0; i < cells.length; i++) {
      String c = cells[i].strip();
      cells[i] = c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1) : c;
    }
    return cells;
  }
}
