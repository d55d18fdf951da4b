package io.heapsdk.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** What every page must be, checked on its text and on its tree (the pages are well-formed XML too). */
public final class PageChecks {
  private PageChecks() {}

  private static final Pattern HREF = Pattern.compile("href=\"([^\"]*)\"");

  /**
   * Nothing that loads or links outside the page: no script, no {@code src}, {@code url(…)},
   * {@code @import} or {@code <link>}, no {@code http} anywhere (but the {@code http-equiv} of the
   * policy's meta tag), and every {@code href} an anchor in the page.
   */
  public static void assertSelfContained(String html) {
    String lower = html.toLowerCase(Locale.ROOT);
    assertThat(lower.replace("http-equiv=", "")).doesNotContain("http", "src=", "<script", "url(", "@import", "<link", "javascript:");
    assertThat(hrefs(html)).allSatisfy(h -> assertThat(h).startsWith("#"));
  }

  /** The {@code href} values of a page, as written (entity-escaped). */
  public static List<String> hrefs(String html) {
    List<String> hrefs = new ArrayList<>();
    Matcher m = HREF.matcher(html);
    while (m.find()) {
      hrefs.add(m.group(1));
    }
    return hrefs;
  }

  /** The page as an XML tree: this fails on any tag left open or attribute left unquoted. */
  public static Document parse(String html) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError("the page is not well-formed: " + e.getMessage(), e);
    }
  }

  /** The mark groups of one kind ({@code step}, {@code bar}, {@code cell}, …) in document order. */
  public static List<Element> marks(Document page, String kind) {
    List<Element> marks = new ArrayList<>();
    NodeList groups = page.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element g = (Element) groups.item(i);
      List<String> classes = List.of(g.getAttribute("class").split(" "));
      if (classes.contains("mark") && classes.contains(kind)) {
        marks.add(g);
      }
    }
    return marks;
  }

  /** The text of the one element of class {@code num} inside a mark. */
  public static String numText(Element mark) {
    List<String> texts = new ArrayList<>();
    NodeList all = mark.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains("num")) {
        texts.add(e.getTextContent());
      }
    }
    assertThat(texts).as("the number shown in %s", mark.getAttribute("data-label")).hasSize(1);
    return texts.get(0);
  }

  /**
   * Whether a number as shown ({@code 1,234}, {@code 66.7%}, {@code 12.5}) is {@code exact} rounded to
   * the digits shown.
   */
  public static boolean shows(String shown, String exact) {
    String s = shown.strip().replace(",", "").replace("\u2212", "-");
    boolean percent = s.endsWith("%");
    BigDecimal value = new BigDecimal(percent ? s.substring(0, s.length() - 1) : s);
    BigDecimal truth = new BigDecimal(exact);
    if (percent) {
      truth = truth.movePointRight(2);
    }
    BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(Math.max(0, value.scale())).divide(BigDecimal.valueOf(2));
    return value.subtract(truth).abs().compareTo(halfUnit) <= 0;
  }
}
