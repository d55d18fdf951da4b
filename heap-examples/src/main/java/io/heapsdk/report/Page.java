package io.heapsdk.report;

/**
 * The frame of every page the charts and {@code heap docs} write: UTF-8, one inline style sheet, and a
 * Content-Security-Policy that forbids every load (scripts, fonts, images from anywhere, styles from
 * files), so a page that tried to reach the network would be refused by the browser, and the browser
 * check would see the refusal as a console error. Nothing on the pages needs JavaScript: tooltips are SVG
 * {@code title}s, collapsed sections are {@code details}.
 */
public final class Page {
  /** No network, no script: only the page's own inline styles and {@code data:} images. */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

  private Page() {}

  /** A new page up to and including {@code <body>}. */
  public static Markup start(String title) {
    Markup m = new Markup();
    m.raw("<!DOCTYPE html>\n");
    m.open("html", "lang", "en").open("head");
    m.empty("meta", "charset", "utf-8");
    m.empty("meta", "http-equiv", "Content-Security-Policy", "content", CONTENT_SECURITY_POLICY);
    m.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    m.element("title", title);
    m.open("style").raw(STYLE).close("style");
    m.close("head").raw("\n").open("body");
    return m;
  }

  /** Closes the page and returns its text. */
  public static String end(Markup m) {
    return m.close("body").close("html").raw("\n").toString();
  }

  private static final String STYLE =
      """
      :root{color-scheme:light}
      body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:#1f2933;background:#fff;margin:0 auto;max-width:1280px;padding:24px}
      h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:20px 0 6px}
      p.settings{color:#4a5563;margin:0 0 4px}
      figure.chart{margin:20px 0 32px}figcaption{font-weight:600;font-size:16px;margin-bottom:8px}
      .panels{display:flex;flex-wrap:wrap;gap:12px 24px}.scroll{overflow-x:auto;max-width:100%}
      svg{display:block;overflow:visible}
      svg text{font-size:12px;fill:#1f2933;unicode-bidi:isolate}
      svg text.muted{fill:#4a5563}svg text.node-label{font-weight:600}svg text.small{font-size:11px}svg text.head{font-size:13px;font-weight:600}
      svg text.on-bar{fill:#fff}svg text.drop{fill:#a04000}svg .num{font-variant-numeric:tabular-nums}
      svg .grid{stroke:#d9dee4;stroke-width:1}svg .axis{stroke:#4a5563;stroke-width:1}
      svg a:focus{outline:none}svg a:focus rect,svg a:hover rect{stroke:#1f2933;stroke-width:2.5}
      details.data{margin-top:10px}summary{cursor:pointer;color:#0b57a4}
      table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:6px 0}
      th,td{border-bottom:1px solid #d9dee4;padding:3px 10px;text-align:left;vertical-align:top}
      th.n,td.n{text-align:right}th{background:#f3f5f7}
      a{color:#0b57a4}a:focus-visible{outline:2px solid #0b57a4;outline-offset:2px}
      code,pre{font:12px/1.45 ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace}
      pre{background:#f6f8fa;border:1px solid #d9dee4;padding:10px 12px;overflow-x:auto;white-space:pre}
      nav.crumbs{margin-bottom:12px}dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}
      dl.facts dt{font-weight:600}dl.facts dd{margin:0}
      .legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:6px 0;color:#4a5563}
      .swatch{display:inline-block;width:12px;height:12px;border:1px solid #4a5563;margin-right:6px;vertical-align:-1px}
      """;
}
