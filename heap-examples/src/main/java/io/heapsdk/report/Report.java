package io.heapsdk.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One self-contained HTML page of charts: a title, lines saying what was analysed, and the charts. No
 * script, no font, no image or style sheet from anywhere else: the file opens as it is, offline, with
 * JavaScript off. {@link #html()} gives its text.
 */
public final class Report {
  private final String title;
  private final List<String> lines = new ArrayList<>();
  private final List<Chart> charts = new ArrayList<>();

  private Report(String title) {
    this.title = title;
  }

  /** A report titled {@code title} (also the page's title). */
  public static Report titled(String title) {
    return new Report(title);
  }

  /** A line under the title: the analysis' settings, say. */
  public Report line(String text) {
    lines.add(text);
    return this;
  }

  public Report add(Chart chart) {
    charts.add(chart);
    return this;
  }

  /** The page. */
  public String html() {
    Markup m = Page.start(title);
    m.open("main");
    m.open("h1").open("bdi").text(title).close("bdi").close("h1");
    for (String line : lines) {
      m.open("p", "class", "settings").open("bdi").text(line).close("bdi").close("p");
    }
    for (Chart c : charts) {
      c.writeTo(m);
    }
    m.close("main");
    return Page.end(m);
  }
}
