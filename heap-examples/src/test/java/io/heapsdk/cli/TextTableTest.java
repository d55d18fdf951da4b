package io.heapsdk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The terminal table lines columns up by the cells a terminal draws, whatever the script. */
class TextTableTest {
  @Test
  void widthCountsTerminalCells() {
    assertThat(TextTable.width("Direct")).isEqualTo(6);
    assertThat(TextTable.width("購入する")).isEqualTo(8); // kanji and hiragana: two cells each
    assertThat(TextTable.width("Покупка")).isEqualTo(7); // Cyrillic: one each
    assertThat(TextTable.width("شراء")).isEqualTo(4); // Arabic letters: one each
    assertThat(TextTable.width("购买🛒")).isEqualTo(6); // an emoji outside the BMP: two cells, one surrogate pair
    assertThat(TextTable.width("𠮷")).isEqualTo(2); // CJK extension B
    assertThat(TextTable.width("cafe\u0301")).isEqualTo(4); // the combining accent draws on the e
    assertThat(TextTable.width("caf\u00e9")).isEqualTo(4);
    assertThat(TextTable.width("👩\u200D💻")).isEqualTo(2); // one emoji drawn from a joined sequence
    assertThat(TextTable.width("🇯🇵🇫🇷")).isEqualTo(4); // two flags, each a pair of regional indicators
    assertThat(TextTable.width("❤\uFE0F")).isEqualTo(1); // the variation selector adds nothing
    assertThat(TextTable.width("ｶﾀｶﾅ ＡＢ")).isEqualTo(4 + 1 + 4); // half-width kana one cell, full-width Latin two
  }

  @Test
  void columnsAlignByDisplayWidth() {
    StringWriter text = new StringWriter();
    new TextTable("channel", "sessions")
        .row("Direct", 12)
        .row("ソーシャル 🇯🇵", 3)
        .row("Реклама 👩\u200D💻", 1_234)
        .row("cafe\u0301", 5)
        .print(new PrintWriter(text, true));
    List<String> lines = text.toString().lines().toList();
    assertThat(lines)
        .containsExactly(
            "  channel        sessions",
            "  Direct               12",
            "  ソーシャル 🇯🇵         3",
            "  Реклама 👩\u200D💻        1,234",
            "  cafe\u0301" + " ".repeat(18) + "5");
    // every line ends at the same terminal column
    assertThat(lines.stream().map(TextTable::width).distinct()).hasSize(1);
  }

  @Test
  void controlsAndDirectionOverridesAreShownEscaped() {
    assertThat(TextTable.visible("\u202Egnp.exe")).isEqualTo("\\u202Egnp.exe");
    assertThat(TextTable.visible("new\nline\ttab")).isEqualTo("new\\nline\\ttab");
    // right-to-left letters, the joiner of an emoji sequence and a combining mark are text, kept
    assertThat(TextTable.visible("רכישה 👩\u200D💻 cafe\u0301")).isEqualTo("רכישה 👩\u200D💻 cafe\u0301");
  }
}
