package io.heapsdk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.heapsdk.source.PassThroughColumn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The config cases of the reliability probe (c59–c74, H3n) and the host application's null probe: each
 * fails with one line naming file (or builder) and key, with no Java class or API name in it.
 */
class ConfigProbeErrorsTest {
  @TempDir Path dir;

  private Path file;

  private HeapConfigException loadError(byte[] bytes) throws IOException {
    file = dir.resolve("heap.yml");
    Files.write(file, bytes);
    try {
      HeapConfig c = HeapConfigLoader.load(file);
      throw new AssertionError("expected a HeapConfigException, got " + c);
    } catch (HeapConfigException e) {
      assertOneCleanLine(e.getMessage());
      assertThat(e.getMessage()).startsWith(file + ": ");
      return e;
    }
  }

  private HeapConfigException loadError(String yaml) throws IOException {
    return loadError(yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static HeapConfigException buildError(Supplier<?> build) {
    try {
      Object c = build.get();
      throw new AssertionError("expected a HeapConfigException, got " + c);
    } catch (HeapConfigException e) {
      assertOneCleanLine(e.getMessage());
      assertThat(e.origin()).isEqualTo(HeapConfig.BUILDER_ORIGIN);
      return e;
    }
  }

  static void assertOneCleanLine(String message) {
    assertThat(message).doesNotContain("\n", "\r", "java.", "Exception", "StreamReadConstraints", "com.fasterxml", "org.yaml", "\0");
  }

  // ------------------------------------------------------------------------------ YAML anchors and aliases

  @Test
  void anAliasInAListIsRefusedNotReadAsTheAnchorName() throws IOException {
    // c74: used to become the event named "p"
    HeapConfigException e = loadError("funnel_events: [&p purchase, add_to_cart]\nconversion_events: [*p]\n");
    assertThat(e.getMessage())
        .isEqualTo(
            file + ": conversion_events[0]: *p is a YAML alias (line 2, column 21); anchors and aliases are not"
                + " supported: write the value out");
  }

  @Test
  void anAliasAsAWholeValueIsRefused() throws IOException {
    // c60: used to say `expected a list, got the text "p0"`
    HeapConfigException e = loadError("funnel_events: &p0 [a]\nconversion_events: *p0\n");
    assertThat(e.keyPath()).isEqualTo("conversion_events");
    assertThat(e.problem()).startsWith("*p0 is a YAML alias (line 2, column 20)");
  }

  @Test
  void aBillionLaughsBombIsRefusedAtItsFirstAlias() throws IOException {
    // c59: nothing is expanded, so the size of the expansion never matters
    StringBuilder yaml = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      String prev = "*a" + (i - 1);
      yaml.append("a").append(i).append(": &a").append(i).append(" [").append(String.join(", ", List.of(prev, prev, prev, prev, prev, prev, prev, prev, prev))).append("]\n");
    }
    HeapConfigException e = loadError(yaml.toString());
    assertThat(e.keyPath()).isEqualTo("a1[0]");
    assertThat(e.problem()).startsWith("*a0 is a YAML alias (line 2, column 10)");
  }

  @Test
  void aMergeKeyIsAnAliasToo() throws IOException {
    HeapConfigException e = loadError("base: &m {schema: x}\nsource:\n  <<: *m\n");
    assertThat(e.keyPath()).isEqualTo("source.<<");
    assertThat(e.problem()).contains("YAML alias");
  }

  @Test
  void anAnchorWithoutAliasIsHarmless() {
    HeapConfig c = HeapConfigLoader.parse("funnel_events: [&p purchase, add_to_cart]\n", "heap.yml");
    assertThat(c.funnelEvents()).containsExactly("purchase", "add_to_cart");
  }

  // ------------------------------------------------------------------------------ documents, size, nesting

  @Test
  void aSecondDocumentIsRefusedWithItsLine() throws IOException {
    // c70: used to be silently ignored
    HeapConfigException e = loadError("funnel_events: [a]\n---\nfunnel_events: [b]\n");
    assertThat(e.getMessage())
        .isEqualTo(file + ": line 3, column 1: a second YAML document (after ---); a config is one document: merge them or remove one");
  }

  @Test
  void aLeadingDocumentMarkerIsFine() {
    assertThat(HeapConfigLoader.parse("---\nfunnel_events: [a]\n", "heap.yml").funnelEvents()).containsExactly("a");
  }

  @Test
  void aFileOverTheSizeLimitIsRefusedBeforeParsing() throws IOException {
    // c62: a 5 MB value took 9 s to reach the parser's own limit
    String yaml = "channels:\n  own_domain: \"" + "d".repeat(5 << 20) + "\"\n";
    HeapConfigException e = loadError(yaml);
    assertThat(e.keyPath()).isEqualTo("(file)");
    assertThat(e.problem()).isEqualTo("5,242,907 bytes is more than a config may hold (1,048,576); is it the right file?");
    assertThat(HeapConfigLoader.MAX_SIZE).isEqualTo(1 << 20);
  }

  @Test
  void parsedTextOverTheSizeLimitIsRefusedToo() {
    String yaml = "#" + "x".repeat(HeapConfigLoader.MAX_SIZE);
    HeapConfigException e = buildOrParseError(() -> HeapConfigLoader.parse(yaml, "inline"));
    assertThat(e.getMessage()).startsWith("inline: (file): 1,048,577 bytes is more than a config may hold");
  }

  @Test
  void aConfigJustUnderTheLimitIsRead() {
    String comment = "#" + "x".repeat(HeapConfigLoader.MAX_LINE - 1) + "\n";
    String yaml = "funnel_events: [a]\n" + comment.repeat(HeapConfigLoader.MAX_SIZE / comment.length());
    assertThat(yaml.length()).isBetween(HeapConfigLoader.MAX_SIZE - HeapConfigLoader.MAX_LINE, HeapConfigLoader.MAX_SIZE);
    assertThat(HeapConfigLoader.parse(yaml, "heap.yml").funnelEvents()).containsExactly("a");
  }

  @Test
  void aLineOverTheLineLimitIsRefusedBeforeParsing() throws IOException {
    // the scanner's time grows with the square of a token's length: a long value is refused by its line
    String value = "d".repeat(HeapConfigLoader.MAX_LINE);
    HeapConfigException e = loadError("funnel_events: [a]\nchannels:\n  own_domain: " + value + "\n");
    assertThat(e.getMessage()).isEqualTo(file + ": line 3: 65,550 characters long; a config's lines hold at most 65,536 (is it the right file?)");
    assertThat(HeapConfigLoader.parse("channels:\n  own_domain: " + "d".repeat(5000) + "\n", "heap.yml").ownDomain()).contains("d".repeat(5000));
  }

  /**
   * A URL where the domain goes was taken: its rule matched only referrers spelled like it (its scheme,
   * its slash) and the channel was named after the whole URL. Refused, with the domain to give.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "https://www.example.com/, www.example.com",
    "http://пример.рф/путь?x=1, пример.рф",
    "HTTPS://shop.example.com, shop.example.com"
  })
  void aUrlAsTheOwnDomainIsRefusedWithItsDomain(String url, String domain) throws IOException {
    HeapConfigException e = loadError("channels:\n  own_domain: \"" + url + "\"\n");
    assertThat(e.getMessage())
        .isEqualTo(file + ": channels.own_domain: expected a domain such as example.com, got \"" + url + "\", a URL: give its domain, " + domain);
    assertThat(HeapConfigLoader.parse("channels:\n  own_domain: " + domain + "\n", "heap.yml").ownDomain()).contains(domain);
    // a domain and a path, without a scheme: a narrower match, still taken
    assertThat(HeapConfigLoader.parse("channels:\n  own_domain: example.com/shop\n", "heap.yml").ownDomain()).contains("example.com/shop");
  }

  @ParameterizedTest
  @ValueSource(ints = {101, 3_000, 20_000})
  void deepNestingSaysSoWithoutTheParsersApiName(int levels) throws IOException {
    // c65, c66: used to quote `StreamReadConstraints.getMaxNestingDepth()`
    HeapConfigException e = loadError("funnel_events: " + "[".repeat(levels) + "]".repeat(levels) + "\n");
    // the top-level mapping is level 1, so level 101 is the 100th bracket, after the 15 characters of "funnel_events: "
    assertThat(e.getMessage()).isEqualTo(file + ": line 1, column 115: mappings and lists nested more than 100 levels deep; a config needs a handful");
  }

  @Test
  void deepMappingsToo() throws IOException {
    HeapConfigException e = loadError("a: " + "{x: ".repeat(5_000) + "1" + "}".repeat(5_000) + "\n");
    assertThat(e.problem()).startsWith("mappings and lists nested more than 100 levels deep");
  }

  @Test
  void nestingUpToTheLimitIsOnlyAnUnknownKey() throws IOException {
    // 100 levels (the mapping and 99 lists) are read, and the value is then refused for what it is
    HeapConfigException e = loadError("funnel_events: " + "[".repeat(99) + "]".repeat(99) + "\n");
    assertThat(e.keyPath()).isEqualTo("funnel_events[0]");
    assertThat(e.problem()).isEqualTo("expected a text value, got a list");
  }

  @Test
  void aListAsAKeyIsRefusedWithoutParserClassNames() throws IOException {
    HeapConfigException e = loadError("? [a]\n: b\n");
    assertThat(e.getMessage()).isEqualTo(file + ": line 1, column 4: not valid YAML: a key must be text, not a list or mapping");
  }

  @Test
  void aLongValueInAMessageIsCut() throws IOException {
    HeapConfigException e = loadError("sessionization:\n  timeout_minutes: \"" + "1".repeat(2000) + "\"\n");
    assertThat(e.problem()).isEqualTo("expected a whole number, got the text \"" + "1".repeat(40) + "…\" (2000 characters)");
  }

  @Test
  void aWholeNumberTooLargeIsSaidToBeOne() throws IOException {
    // it used to be "expected a whole number, got 99999999999999999999", which it is
    HeapConfigException e = loadError("sessionization:\n  timeout_minutes: 99999999999999999999\n");
    assertThat(e.keyPath()).isEqualTo("sessionization.timeout_minutes");
    assertThat(e.problem()).isEqualTo("expected a whole number from -2147483648 to 2147483647, got 99999999999999999999");
    HeapConfigException longer = loadError("sessions:\n  conversion_window_days: -" + "9".repeat(300) + "\n");
    assertThat(longer.problem())
        .isEqualTo("expected a whole number from -2147483648 to 2147483647, got -" + "9".repeat(39) + "… (301 characters)");
  }

  // ------------------------------------------------------------------------------ values YAML types

  /**
   * A name YAML reads as a number is the text typed: {@code 1e3}, {@code 0x1F}, {@code 010} were the
   * events {@code 1000.0}, {@code 31} and {@code 8} (YAML's numbers written back), silently.
   */
  @Test
  void aNameYamlReadsAsANumberIsTheTextTyped() {
    HeapConfig c = HeapConfigLoader.parse(
        "funnel_events: [view_product, 1e3, 0x1F, 010, 007, +12, 1_000, 1.10, -.5, 0.1e-2, 2024, .inf, .NaN, 99999999999999999999]\n"
            + "conversion_events: [0b101, 12:30]\n"
            + "source:\n  schema: 0x1F\n"
            + "target:\n  schema: 1e3\n"
            + "channels:\n  fallback: 1_000\n  rules:\n    - channel: 010\n      when: {field: utm_medium, equals: +12}\n",
        "heap.yml");
    assertThat(c.funnelEvents())
        .containsExactly(
            "view_product", "1e3", "0x1F", "010", "007", "+12", "1_000", "1.10", "-.5", "0.1e-2", "2024", ".inf", ".NaN",
            "99999999999999999999");
    assertThat(c.conversionEvents()).containsExactly("0b101", "12:30");
    assertThat(c.sourceSchema()).isEqualTo("0x1F");
    assertThat(c.targetSchema()).isEqualTo("1e3");
    assertThat(c.toString()).contains("1_000", "010", "+12").doesNotContain("1000.0");
  }

  @Test
  void aNumberWhereAWholeNumberIsExpectedIsStillAWholeNumber() throws IOException {
    assertThat(HeapConfigLoader.parse("sessionization:\n  timeout_minutes: 0x1E\n", "heap.yml").sessionTimeoutMinutes()).isEqualTo(30);
    HeapConfigException inf = loadError("sessionization:\n  timeout_minutes: .inf\n");
    assertThat(inf.keyPath()).isEqualTo("sessionization.timeout_minutes");
    assertThat(inf.problem()).isEqualTo("expected a whole number, got the text \".inf\"");
    HeapConfigException half = loadError("sessionization:\n  timeout_minutes: 2.5\n");
    assertThat(half.problem()).startsWith("expected a whole number, got ");
  }

  @Test
  void aWordYamlReadsAsABooleanIsRefusedNamingTheWord() throws IOException {
    // the hint said to quote "NO" whatever the word
    HeapConfigException e = loadError("funnel_events: [view_product, yes]\n");
    assertThat(e.keyPath()).isEqualTo("funnel_events[1]");
    assertThat(e.problem()).isEqualTo("expected a text value, got yes, which YAML reads as true; quote it (\"yes\") if you meant the text");
    HeapConfigException off = loadError("channels:\n  fallback: Off\n");
    assertThat(off.problem()).isEqualTo("expected a text value, got Off, which YAML reads as false; quote it (\"Off\") if you meant the text");
  }

  @Test
  void aDashedLineClosingTheFileIsNoSecondDocument() throws IOException {
    assertThat(HeapConfigLoader.parse("funnel_events: [a]\n---\n", "heap.yml").funnelEvents()).containsExactly("a");
    assertThat(HeapConfigLoader.parse("funnel_events: [a]\n---\n...\n", "heap.yml").funnelEvents()).containsExactly("a");
    assertThat(HeapConfigLoader.parse("funnel_events: [a]\n---\n# nothing more\n", "heap.yml").funnelEvents()).containsExactly("a");
    // a document with something in it is one
    assertThat(loadError("funnel_events: [a]\n---\n~\n").problem()).startsWith("a second YAML document");
  }

  // ------------------------------------------------------------------------------ encodings

  @Test
  void latin1BytesAreNotUtf8() throws IOException {
    // c63: used to say "cannot read: Input length = 1"
    HeapConfigException e = loadError("target:\n  schema: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(e.getMessage()).isEqualTo(file + ": (file): not UTF-8 text (byte 0xE9 at line 2, column 14); save the file as UTF-8");
  }

  @Test
  void theColumnCountsCharactersNotBytes() throws IOException {
    byte[] head = "funnel_events: [\u8d2d\u4e70, ".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 2];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xFF;
    bytes[head.length + 1] = ']';
    HeapConfigException e = loadError(bytes);
    assertThat(e.problem()).isEqualTo("not UTF-8 text (byte 0xFF at line 1, column 21); save the file as UTF-8");
  }

  @Test
  void utf16WithAByteOrderMarkIsNotUtf8() throws IOException {
    // c64: Java's UTF_16 encoder writes a big-endian byte order mark
    HeapConfigException e = loadError("funnel_events: [a]\n".getBytes(StandardCharsets.UTF_16));
    assertThat(e.problem()).isEqualTo("not UTF-8 text (it starts with a UTF-16 byte order mark); save the file as UTF-8");
  }

  @Test
  void utf16WithoutAByteOrderMarkIsNotUtf8() throws IOException {
    HeapConfigException e = loadError("funnel_events: [a]\n".getBytes(StandardCharsets.UTF_16LE));
    assertThat(e.problem()).isEqualTo("not UTF-8 text (NUL bytes from line 1, column 2 on; UTF-16 text?); save the file as UTF-8");
  }

  @Test
  void aRawNulByteIsNamedByLineAndColumn() throws IOException {
    HeapConfigException e = loadError("funnel_events: [a\0b]\n");
    assertThat(e.getMessage()).isEqualTo(file + ": line 1, column 18: a NUL character (U+0000), which a config cannot hold; remove it");
  }

  @Test
  void rawCharactersYamlDoesNotAllowAreNamedByLineAndColumn() {
    // the parser itself only says "special characters are not allowed", at line 1, column 1
    assertThat(buildOrParseError(() -> HeapConfigLoader.parse("funnel_events:\n  - \uD83D\uDED2 ok\n  - x\u0001y\n", "h.yml")).getMessage())
        .isEqualTo("h.yml: line 3, column 6: a control character (U+0001), which YAML does not allow in a file; remove it");
    assertThat(buildOrParseError(() -> HeapConfigLoader.parse("funnel_events: [\uD83D\uDED2, x\uD83D]\n", "h.yml")).getMessage())
        .isEqualTo("h.yml: line 1, column 21: an unpaired surrogate (U+D83D), which is not Unicode text; fix the text");
    // escaped in double quotes, a control character is text like any other
    assertThat(HeapConfigLoader.parse("funnel_events: [\"x\\u0001y\"]\n", "h.yml").funnelEvents()).containsExactly("x\u0001y");
  }

  @Test
  void aUtf8ByteOrderMarkIsSkipped() throws IOException {
    file = dir.resolve("bom.yml");
    Files.write(file, "\uFEFFfunnel_events: [\u8d2d\u4e70, \uD83D\uDED2]\n".getBytes(StandardCharsets.UTF_8));
    assertThat(HeapConfigLoader.load(file).funnelEvents()).containsExactly("\u8d2d\u4e70", "\uD83D\uDED2");
  }

  // ------------------------------------------------------------------------------ text a warehouse cannot store

  /** One YAML snippet per place a user string goes, with the NUL (or lone surrogate) escaped in YAML. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "funnel_events[1] | funnel_events: [ok, \"a\\0b\"]",
        "conversion_events[0] | conversion_events: [\"a\\0\"]",
        "channels.own_domain | channels: {own_domain: \"shop\\0.example\"}",
        "channels.fallback | channels: {fallback: \"Other\\0\"}",
        "channels.rules[0].channel | channels: {rules: [{channel: \"Paid\\0\", when: {field: referrer, is_null: true}}]}",
        "channels.rules[0].when.contains | channels: {rules: [{channel: Paid, when: {field: referrer, contains: \"g\\0\"}}]}",
        "channels.rules[0].when.any[0].equals | channels: {rules: [{channel: Paid, when: {any: [{field: utm_source, equals: \"g\\0\"}]}}]}",
        "source.database | source: {database: \"raw\\0\"}",
        "source.schema | source: {schema: \"heap\\0\"}",
        "source.tables.pageviews | source: {tables: {pageviews: \"pv\\0\"}}",
        "source.columns.pageviews.time | source: {columns: {pageviews: {time: \"t\\0\"}}}",
        "source.pageview_properties[0] | source: {pageview_properties: [\"gtm\\0\"]}",
        "source.pageview_properties[0] | source: {pageview_properties: [{name: \"gtm\\0\", type: bigint}]}",
        "target.database | target: {database: \"an\\0\"}",
        "target.schema | target: {schema: \"marts\\0\"}",
        "models.stg_heap_sessions_inc_fct | models: {stg_heap_sessions_inc_fct: {cluster_by: [\"x\\0\"]}}",
      })
  void aNulInAnyUserStringIsRefusedNamingItsKey(String keyAndYaml) throws IOException {
    // H3n: a NUL used to be written as a raw 0x00 byte into every warehouse's SQL
    String key = keyAndYaml.substring(0, keyAndYaml.indexOf(" | "));
    String yaml = keyAndYaml.substring(keyAndYaml.indexOf(" | ") + 3) + "\n";
    HeapConfigException e = loadError(yaml);
    assertThat(e.keyPath()).as(e.getMessage()).isEqualTo(key);
    assertThat(e.problem()).matches("contains a NUL character \\(U\\+0000\\) at character \\d+, which warehouses cannot store in text; remove it");
    // a lone surrogate in the same place is refused the same way
    HeapConfigException lone = loadError(yaml.replace("\\0", "\\uD83D"));
    assertThat(lone.keyPath()).isEqualTo(key);
    assertThat(lone.problem()).matches("contains an unpaired surrogate \\(U\\+D83D\\) at character \\d+, which is not Unicode text .*");
  }

  @Test
  void theRefusalSaysWhereInTheTextCountingAnEmojiAsOne() throws IOException {
    HeapConfigException e = loadError("funnel_events: [\"\uD83D\uDED2x\\uDE00\"]\n");
    assertThat(e.problem()).startsWith("contains an unpaired surrogate (U+DE00) at character 3,");
  }

  @Test
  void otherUnicodeIsAccepted() {
    // emoji, CJK, Arabic (right to left), Cyrillic, a combining mark, a right-to-left override, a newline
    List<String> texts = List.of("\uD83D\uDED2 cart", "\u8d2d\u4e70", "\u0634\u0631\u0627\u0621", "\u043f\u043e\u043a\u0443\u043f\u043a\u0430", "cafe\u0301", "a\u202Eb", "two\nlines");
    HeapConfig c =
        HeapConfig.builder()
            .funnelEvents(texts)
            .addConversionEvents(texts.get(0))
            .ownDomain("\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444")
            .fallbackChannel("\u0644\u0627 \u0634\u064a\u0621")
            .sourceSchema("\u30d2\u30fc\u30d7")
            .targetSchema("mod\u00e8les")
            .addPageviewProperties(PassThroughColumn.varchar("\u30ad\u30e3\u30f3\u30da\u30fc\u30f3"))
            .build();
    assertThat(c.funnelEvents()).containsExactlyElementsOf(texts);
    // and the same text read from YAML
    HeapConfig yaml =
        HeapConfigLoader.parse(
            "funnel_events: [\"\uD83D\uDED2 cart\", \u8d2d\u4e70, \"cafe\u0301\", \"a\u202Eb\"]\nchannels: {own_domain: \u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444}\n",
            "heap.yml");
    assertThat(yaml.funnelEvents()).containsExactly("\uD83D\uDED2 cart", "\u8d2d\u4e70", "cafe\u0301", "a\u202Eb");
    assertThat(yaml.ownDomain()).contains("\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444");
  }

  @Test
  void theBuilderRefusesTheSameText() {
    HeapConfigException e = buildError(() -> HeapConfig.builder().addFunnelEvents("a", "b\0").build());
    assertThat(e.getMessage())
        .isEqualTo("HeapConfig.builder(): funnel_events[1]: contains a NUL character (U+0000) at character 2, which warehouses cannot store in text; remove it");
    assertThat(buildError(() -> HeapConfig.builder().ownDomain("x\uDBFF").build()).keyPath()).isEqualTo("channels.own_domain");
  }

  // ------------------------------------------------------------------------------ nulls in the builder

  @Test
  void aNullOwnDomainNamesTheKey() {
    // the host application's probe: this was Immutables' bare NullPointerException "ownDomain"
    HeapConfigException e = buildError(() -> HeapConfig.builder().ownDomain((String) null));
    assertThat(e.getMessage()).isEqualTo("HeapConfig.builder(): channels.own_domain: expected a domain, got null");
  }

  @Test
  void aNullListElementNamesItsIndex() {
    HeapConfigException e = buildError(() -> HeapConfig.builder().addFunnelEvents("view").funnelEvents(java.util.Arrays.asList("a", null)));
    assertThat(e.getMessage()).isEqualTo("HeapConfig.builder(): funnel_events[1]: expected an event name, got null");
    assertThat(buildError(() -> HeapConfig.builder().addConversionEvents("a").addConversionEvents((String) null)).keyPath())
        .isEqualTo("conversion_events[1]");
  }

  /**
   * Every public builder method, given null for each of its object parameters (and a list, array or map
   * holding a null), fails with a HeapConfigException naming a key, never a NullPointerException.
   */
  @Test
  void everyBuilderMethodNamesTheKeyOfANull() throws Exception {
    int calls = 0;
    for (java.lang.reflect.Method m : HeapConfig.Builder.class.getMethods()) {
      if (m.getDeclaringClass() != HeapConfig.Builder.class || m.getName().equals("build")) {
        continue;
      }
      Class<?>[] types = m.getParameterTypes();
      for (int i = 0; i < types.length; i++) {
        if (types[i].isPrimitive()) {
          continue;
        }
        List<Object> badValues = new java.util.ArrayList<>();
        badValues.add(null);
        Object withNullInside = holdingNull(types[i]);
        if (withNullInside != null) {
          badValues.add(withNullInside);
        }
        for (Object bad : badValues) {
          Object[] args = new Object[types.length];
          for (int j = 0; j < types.length; j++) {
            args[j] = j == i ? bad : sample(types[j]);
          }
          String call = m.getName() + java.util.Arrays.toString(args);
          try {
            m.invoke(HeapConfig.builder(), args);
            fail("expected a HeapConfigException from " + call);
          } catch (java.lang.reflect.InvocationTargetException e) {
            assertThat(e.getCause()).as(call).isInstanceOf(HeapConfigException.class);
            HeapConfigException h = (HeapConfigException) e.getCause();
            assertOneCleanLine(h.getMessage());
            assertThat(h.keyPath()).as(call).isNotBlank();
            assertThat(h.problem()).as(call).endsWith("got null");
            calls++;
          }
        }
      }
    }
    // every setter of every key, not a handful
    assertThat(calls).isGreaterThan(50);
  }

  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "x";
    } else if (type == java.util.Optional.class) {
      return java.util.Optional.empty();
    } else if (type == java.util.Map.class) {
      return java.util.Map.of();
    } else if (type == Iterable.class) {
      return List.of();
    } else if (type == java.util.Map.Entry.class) {
      return java.util.Map.entry("x", "x");
    } else if (type == HeapConfig.class) {
      return HeapConfig.defaults();
    } else if (type == PassThroughColumn.class) {
      return PassThroughColumn.varchar("x");
    } else if (type == PhysicalOptions.class) {
      return PhysicalOptions.DEFAULTS;
    } else if (type == ChannelRule.class) {
      return new ChannelRule("x", Condition.isNull("referrer"));
    } else if (type.isArray()) {
      return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
    }
    throw new AssertionError("no sample value of " + type);
  }

  private static Object holdingNull(Class<?> type) {
    if (type == Iterable.class) {
      return java.util.Arrays.asList((Object) null);
    } else if (type == java.util.Map.class) {
      java.util.Map<String, Object> m = new java.util.HashMap<>();
      m.put("x", null);
      return m;
    } else if (type == java.util.Map.Entry.class) {
      return new java.util.AbstractMap.SimpleEntry<String, Object>("x", null);
    } else if (type.isArray()) {
      return java.lang.reflect.Array.newInstance(type.getComponentType(), 1);
    }
    return null;
  }

  @Test
  void theConfigRecordsNameANullField() {
    assertThat(buildOrParseError(() -> new ChannelRule(null, Condition.isNull("referrer"))).getMessage())
        .isEqualTo("ChannelRule: channel: expected a channel name, got null");
    assertThat(buildOrParseError(() -> Condition.contains("referrer", null)).getMessage()).isEqualTo("Condition: value: expected a text, got null");
    assertThat(buildOrParseError(() -> Condition.all(Condition.isNull("referrer"), null)).getMessage())
        .isEqualTo("Condition: conditions[1]: expected a condition, got null");
    assertThat(buildOrParseError(() -> new PhysicalOptions(java.util.Optional.empty(), java.util.Arrays.asList("a", null), java.util.Optional.empty(), List.of())).getMessage())
        .isEqualTo("PhysicalOptions: cluster_by[1]: expected a column, got null");
  }

  @Test
  void aNullMapValueNamesItsKey() {
    java.util.Map<String, String> tables = new java.util.HashMap<>();
    tables.put("pageviews", null);
    HeapConfigException e = buildError(() -> HeapConfig.builder().sourceTables(tables));
    assertThat(e.getMessage()).isEqualTo("HeapConfig.builder(): source.tables.pageviews: expected a table name, got null");
  }

  @Test
  void aKeyGivenTwiceIsRefused() {
    HeapConfigException e = buildError(() -> HeapConfig.builder().putSourceTables("pageviews", "a").putSourceTables("pageviews", "b"));
    assertThat(e.getMessage()).isEqualTo("HeapConfig.builder(): source.tables.pageviews: set twice (a, then b); each key may appear once");
  }

  /**
   * A host overriding one entry of a loaded config (per environment): the put replaces the copied entry.
   * It was refused as "prod.yml: … set twice", blaming a file that sets the key once. A key the host puts
   * twice itself is still refused.
   */
  @Test
  void aCopiedEntryMayBeReplacedOnce() {
    HeapConfig loaded = HeapConfigLoader.parse("source:\n  tables:\n    pageviews: pv\n    users: u\n", "prod.yml");
    HeapConfig staging = HeapConfig.builder().from(loaded).putSourceTables("pageviews", "pv_staging").build();
    assertThat(staging.sourceTables()).containsExactly(java.util.Map.entry("pageviews", "pv_staging"), java.util.Map.entry("users", "u"));
    assertThat(org.assertj.core.api.Assertions.catchThrowable(
            () -> HeapConfig.builder().from(loaded).putSourceTables("pageviews", "a").putSourceTables("pageviews", "b")))
        .isInstanceOf(HeapConfigException.class)
        .hasMessage("prod.yml: source.tables.pageviews: set twice (a, then b); each key may appear once");
  }

  @Test
  void theLoadedFileStaysTheOriginOfACopy() {
    HeapConfig loaded = HeapConfigLoader.parse("funnel_events: [a]\n", "prod.yml");
    assertThat(loaded.origin()).isEqualTo("prod.yml");
    assertThat(loaded).isEqualTo(HeapConfig.builder().addFunnelEvents("a").build());
    HeapConfigException e = buildOrParseError(() -> HeapConfig.builder().from(loaded).sessionTimeoutMinutes(0).build());
    assertThat(e.getMessage()).startsWith("prod.yml: sessionization.timeout_minutes: ");
  }

  private static HeapConfigException buildOrParseError(Supplier<?> call) {
    try {
      Object c = call.get();
      fail("expected a HeapConfigException, got " + c);
      return null;
    } catch (HeapConfigException e) {
      assertOneCleanLine(e.getMessage());
      return e;
    }
  }
}
