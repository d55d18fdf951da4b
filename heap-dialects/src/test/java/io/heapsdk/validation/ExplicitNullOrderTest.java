package io.heapsdk.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.heapsdk.validation.RenderedStatements.Statement;
import io.heapsdk.warehouse.Warehouses;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On the warehouses whose NULL order is a setting (Snowflake DEFAULT_NULL_ORDERING, DuckDB
 * default_null_order, H2 DEFAULT_NULL_ORDERING), every ORDER BY item of every rendered statement, in
 * queries, windows and medians, says NULLS FIRST or NULLS LAST, so no session setting changes
 * sessionization, dedup or a median. Data tests' failing-row samples are left out: their order only picks
 * which failing rows are shown.
 */
class ExplicitNullOrderTest {
  @ParameterizedTest
  @ValueSource(strings = {"snowflake", "duckdb", "h2"})
  void everyOrderByItemNamesItsNullOrder(String name) {
    int items = 0;
    List<String> missing = new ArrayList<>();
    for (Statement st : RenderedStatements.of(Warehouses.byName(name))) {
      if (st.run().equals("test")) {
        // a data test's sample of failing rows (ORDER BY 1 … LIMIT) only picks which rows are shown
        continue;
      }
      for (String item : orderItems(st.sql())) {
        items++;
        String upper = item.toUpperCase(Locale.ROOT);
        if (!upper.endsWith(" NULLS FIRST") && !upper.endsWith(" NULLS LAST")) {
          missing.add(st.where() + ": " + item);
        }
      }
    }
    assertThat(missing).as("ORDER BY items without NULLS FIRST/LAST on %s", name).isEmpty();
    assertThat(items).as("ORDER BY items seen on %s", name).isGreaterThan(500);
  }

  @org.junit.jupiter.api.Test
  void theScannerFindsItemsWithoutANullOrder() {
    assertThat(orderItems("SELECT ROW_NUMBER() OVER (PARTITION BY \"A\" ORDER BY \"T\" DESC, f(\"X\", 1) ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM \"T\" ORDER BY 'a,b' NULLS LAST"))
        .containsExactly("\"T\" DESC", "f(\"X\", 1)", "'a,b' NULLS LAST");
  }

  /** The items of every ORDER BY clause: top-level commas split them; quotes and parentheses are respected. */
  static List<String> orderItems(String sql) {
    List<String> items = new ArrayList<>();
    String upper = sql.toUpperCase(Locale.ROOT);
    int from = 0;
    while (true) {
      int at = indexOutsideQuotes(sql, upper, "ORDER BY ", from);
      if (at < 0) {
        return items;
      }
      int i = at + "ORDER BY ".length();
      int depth = 0;
      StringBuilder item = new StringBuilder();
      for (; i < sql.length(); i++) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
          int end = closing(sql, i);
          item.append(sql, i, end + 1);
          i = end;
          continue;
        }
        if (depth == 0 && (c == ')' || c == ';' || startsWordAt(upper, i, "ROWS ") || startsWordAt(upper, i, "RANGE ")
            || startsWordAt(upper, i, "LIMIT ") || startsWordAt(upper, i, "FETCH ") || startsWordAt(upper, i, "OFFSET "))) {
          break;
        }
        if (c == '(') {
          depth++;
        } else if (c == ')') {
          depth--;
        }
        if (depth == 0 && c == ',') {
          items.add(item.toString().strip());
          item.setLength(0);
        } else {
          item.append(c);
        }
      }
      items.add(item.toString().strip());
      from = at + 1;
    }
  }

  private static boolean startsWordAt(String upper, int i, String word) {
    return upper.startsWith(word, i) && (i == 0 || Character.isWhitespace(upper.charAt(i - 1)));
  }

  private static int indexOutsideQuotes(String sql, String upper, String word, int from) {
    for (int i = from; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\'' || c == '"' || c == '`') {
        i = closing(sql, i);
      } else if (upper.startsWith(word, i)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the quote that closes the one at {@code open} (a doubled quote or a backslash escape is inside). */
  private static int closing(String sql, int open) {
    char q = sql.charAt(open);
    for (int i = open + 1; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c == '\\' && q != '"') {
        i++;
      } else if (c == q) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == q) {
          i++;
        } else {
          return i;
        }
      }
    }
    return sql.length() - 1;
  }
}
