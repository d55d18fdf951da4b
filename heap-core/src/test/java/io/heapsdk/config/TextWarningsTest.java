package io.heapsdk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Text a config holds that is likely a slip but may be meant (Heap's names can hold any character): said
 * as a warning naming the key and showing the character, never refused. The expected strings are written
 * by hand from the YAML each test loads.
 */
class TextWarningsTest {
  private static HeapConfig parse(String yaml) {
    return HeapConfigLoader.parse(yaml, "heap.yml");
  }

  @Test
  void aNoBreakSpacePastedBeforeAnEventIsShownAndNamed() {
    HeapConfig c = parse("funnel_events: [signup,\u00A0checkout]\n");
    assertThat(c.funnelEvents()).containsExactly("signup", "\u00A0checkout");
    assertThat(c.textWarnings())
        .containsExactly(
            "funnel_events[1]: \"\\u00A0checkout\" begins with a no-break space (U+00A0); it is used as written, so it matches, or"
                + " names, only what has it too: remove it if it was not meant");
  }

  @Test
  void aBlockScalarsClosingNewlineAndATrailingSpaceInAQuotedNameAreShown() {
    HeapConfig c =
        parse(
            "channels:\n  fallback: |\n    Other\n  rules:\n    - channel: Email\n      when:\n        any:\n"
                + "          - {field: utm_medium, equals: \"email \"}\n"
                + "target:\n  schema: \"analytics\\t\"\n");
    assertThat(c.textWarnings())
        .anySatisfy(w -> assertThat(w).startsWith("target.schema: \"analytics\\t\" ends with a tab (U+0009); it is used as written"))
        .anySatisfy(w -> assertThat(w).startsWith("channels.fallback: \"Other\\n\" ends with a newline (U+000A);"))
        .anySatisfy(w -> assertThat(w).startsWith("channels.rules[0].when.any[0].equals: \"email \" ends with a space (U+0020);"))
        .hasSize(3);
  }

  @Test
  void aNewlineInsideIsShownWithItsPlace() {
    HeapConfig c = parse("conversion_events: [\"sign\\nup\"]\n");
    assertThat(c.textWarnings()).singleElement().asString().startsWith("conversion_events[0]: \"sign\\nup\" contains a newline (U+000A) at character 5;");
  }

  /** A zero-width space inside a name is shown and placed; an error about a value shows it escaped too. */
  @Test
  void anInvisibleCharacterInsideIsShown() {
    HeapConfig c = parse("funnel_events: [view_product, \"add\u200B_to_cart\"]\nsource:\n  schema: \"main_\u200Bproduction\"\n");
    assertThat(c.textWarnings())
        .anySatisfy(w -> assertThat(w).startsWith("source.schema: \"main_\\u200Bproduction\" contains a zero width space (U+200B) at character 6;"))
        .anySatisfy(w -> assertThat(w).startsWith("funnel_events[1]: \"add\\u200B_to_cart\" contains a zero width space (U+200B) at character 4;"));
    assertThatThrownBy(() -> parse("sessionization:\n  timeout_minutes: \"3\u200B0\"\n"))
        .hasMessageContaining("got the text \"3\\u200B0\"");
  }

  /** Text in any language, spaces inside it included (an ideographic space between two words), is no slip. */
  @Test
  void namesInAnyLanguageGiveNoWarning() {
    HeapConfig c =
        parse(
            "funnel_events: [\"カートに追加\", \"Оформление заказа\", \"ثبت\u200Cنام\", \"注文\u3000完了\"]\n"
                + "channels:\n  own_domain: пример.рф\n  fallback: Прочее\n");
    assertThat(c.textWarnings()).isEmpty();
    assertThat(HeapConfig.defaults().textWarnings()).isEmpty();
  }

  /** An invisible character in a key is shown in the message, where "unknown key" alone named what looked like a known one. */
  @Test
  void anInvisibleCharacterInAnUnknownKeyIsShown() {
    assertThatThrownBy(() -> parse("funnel\u200B_events: [a]\n"))
        .isInstanceOf(HeapConfigException.class)
        .hasMessageStartingWith("heap.yml: funnel\\u200B_events: unknown key; did you mean 'funnel_events'?");
  }
}
