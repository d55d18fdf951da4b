package io.heapsdk.warehouse.h2;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The views that stop a swap are found by the table's name in each view's stored definition, written
 * as H2 writes it there: the expected forms are H2's own, read back from {@code INFORMATION_SCHEMA.VIEWS}
 * for names in every script a config may use, with quotes, backslashes, control and invisible characters.
 */
class H2StoredIdentifierTest {
  private static final List<String> NAMES =
      List.of(
          "heap_models", "HEAP_MODELS", "sp ace", "q\"uote", "back\\slash", "del\u007fete", "分析_модели", "分析🛒モデル",
          "Straße é", "q\"é", "ß\\\"", "tab\there", "x\u0080y", "\u00a0", "עברית\u202e", "😀");

  @Test
  void namesAreSearchedForAsH2StoresThemInAViewsDefinition() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + UUID.randomUUID());
        Statement s = c.createStatement()) {
      int n = 0;
      for (String schema : NAMES) {
        String table = "T_" + schema;
        s.execute("CREATE SCHEMA " + quoted(schema));
        s.execute("CREATE TABLE " + quoted(schema) + "." + quoted(table) + " (X INT)");
        s.execute("CREATE VIEW PUBLIC.V" + n + " AS SELECT * FROM " + quoted(schema) + "." + quoted(table));
        try (ResultSet rs = s.executeQuery("SELECT VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS WHERE TABLE_NAME = 'V" + n + "'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1))
              .as("the view on %s", schema)
              .contains("FROM " + H2Warehouse.storedIdentifier(schema) + "." + H2Warehouse.storedIdentifier(table));
        }
        n++;
      }
    }
  }

  @Test
  void theEscapedFormIsWrittenOutByHand() {
    assertThat(H2Warehouse.storedIdentifier("HEAP_MODELS")).isEqualTo("\"HEAP_MODELS\"");
    assertThat(H2Warehouse.storedIdentifier("a\"b\\c")).isEqualTo("\"a\"\"b\\c\"");
    assertThat(H2Warehouse.storedIdentifier("分析🛒")).isEqualTo("U&\"\\5206\\6790\\+01f6d2\"");
    assertThat(H2Warehouse.storedIdentifier("é\\\"")).isEqualTo("U&\"\\00e9\\\\\"\"\"");
  }

  private static String quoted(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }
}
