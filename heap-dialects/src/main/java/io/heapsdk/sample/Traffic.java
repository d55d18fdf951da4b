package io.heapsdk.sample;

import java.util.List;
import java.util.Random;

/**
 * One kind of visit that starts a session: the referrers it comes from and the utm tags or click id
 * it puts on the landing page. {@link #MIX} is the shop's traffic, weighted so that every default
 * channel rule of SPEC §3 gets sessions, with the case variations real tagging has.
 */
record Traffic(
    String label,
    int weight,
    List<String> referrers,
    List<String> sources,
    List<String> mediums,
    List<String> campaigns,
    List<String> terms,
    List<String> contents,
    boolean clickId) {

  /** The traffic mix; the comment after each line is the default channel rule it lands in. */
  static final List<Traffic> MIX =
      List.of(
          of("facebook ads", 7, "https://l.facebook.com/", "https://m.facebook.com/")
              .tagged(List.of("facebook", "Facebook"), List.of("cpc", "CPC", "paid_cpc"), List.of("spring_sale", "retargeting_cart"))
              .withContents("carousel_a", "video_15s"), // Facebook Paid
          of("bing ads", 3, "https://www.bing.com/")
              .tagged(List.of("bing", "Bing"), List.of("cpc"), List.of("brand", "shoes_generic"))
              .withTerms("trail running shoes", "rain jacket"), // Paid Bing Search
          of("google ads", 8, "https://www.google.com/")
              .tagged(List.of("google", "Google"), List.of("cpc", "CPC"), List.of("brand", "shoes_generic", "spring_sale"))
              .withTerms("trail running shoes", "rain jacket", "headlamp", "down sleeping bag"), // Paid Google Search
          of("google ads, auto-tagged", 5, "https://www.google.com/", "https://www.google.de/").autoTagged(), // Paid Google Search (gclid)
          of("direct", 22), // Direct
          of("newsletter, referrer stripped", 4)
              .tagged(List.of("newsletter"), List.of("email"), List.of("weekly_digest", "winback"))
              .withContents("header_cta", "footer_link"), // Direct: rule 4 precedes any utm test
          of("google search", 18, "https://www.google.com/", "https://www.Google.com/", "https://www.google.co.uk/"), // Organic Search
          of("bing search", 4, "https://www.bing.com/", "https://cn.bing.com/"), // Organic Search
          of("yahoo search", 2, "https://search.yahoo.com/", "https://uk.search.yahoo.com/"), // Organic Search
          of("duckduckgo search", 3, "https://duckduckgo.com/"), // Organic Search
          of("own sites", 8, "https://www.example.com/blog/trail-running-guide", "https://docs.example.com/", "https://blog.Example.com/spring-picks"), // example.com
          of("twitter", 5, "https://t.co/x7Kq2Lm", "https://t.co/Ab93ZpQ", "https://twitter.com/"), // Unattributed
          of("forums", 6, "https://www.reddit.com/r/ultrarunning/", "https://news.ycombinator.com/", "https://l.facebook.com/"), // Unattributed
          of("linkedin ads", 3, "https://www.linkedin.com/")
              .tagged(List.of("linkedin"), List.of("paid_social", "Social"), List.of("b2b_launch"))
              .withContents("single_image"), // Unattributed: not cpc
          of("newsletter in gmail", 2, "https://mail.google.com/")
              .tagged(List.of("newsletter"), List.of("email"), List.of("weekly_digest"))); // Unattributed: google, but tagged

  private static final int[] WEIGHTS = MIX.stream().mapToInt(Traffic::weight).toArray();

  /** What one visit put on its session: referrer, landing page query and utm values (null when absent). */
  record Visit(
      String referrer,
      String landingQuery,
      String utmSource,
      String utmMedium,
      String utmCampaign,
      String utmTerm,
      String utmContent) {}

  private static Traffic of(String label, int weight, String... referrers) {
    return new Traffic(label, weight, List.of(referrers), List.of(), List.of(), List.of(), List.of(), List.of(), false);
  }

  private Traffic tagged(List<String> newSources, List<String> newMediums, List<String> newCampaigns) {
    return new Traffic(label, weight, referrers, newSources, newMediums, newCampaigns, terms, contents, clickId);
  }

  private Traffic withTerms(String... newTerms) {
    return new Traffic(label, weight, referrers, sources, mediums, campaigns, List.of(newTerms), contents, clickId);
  }

  private Traffic withContents(String... newContents) {
    return new Traffic(label, weight, referrers, sources, mediums, campaigns, terms, List.of(newContents), clickId);
  }

  private Traffic autoTagged() {
    return new Traffic(label, weight, referrers, sources, mediums, campaigns, terms, contents, true);
  }

  /** A weighted draw from {@link #MIX}. */
  static Traffic pick(Random rnd) {
    return MIX.get(Pick.weighted(rnd, WEIGHTS));
  }

  /** One visit of this kind; the landing query carries exactly the tags the utm columns hold. */
  Visit visit(Random rnd) {
    String referrer = Pick.orNull(rnd, referrers);
    String source = Pick.orNull(rnd, sources);
    String medium = Pick.orNull(rnd, mediums);
    String campaign = Pick.orNull(rnd, campaigns);
    String term = Pick.orNull(rnd, terms);
    String content = Pick.orNull(rnd, contents);
    StringBuilder query = new StringBuilder();
    param(query, "utm_source", source);
    param(query, "utm_medium", medium);
    param(query, "utm_campaign", campaign);
    param(query, "utm_term", term);
    param(query, "utm_content", content);
    if (clickId) {
      param(query, "gclid", Pick.token(rnd, 24));
    }
    String landingQuery = query.length() == 0 ? null : query.toString();
    return new Visit(referrer, landingQuery, source, medium, campaign, term, content);
  }

  private static void param(StringBuilder query, String name, String value) {
    if (value != null) {
      query.append(query.length() == 0 ? '?' : '&').append(name).append('=').append(value.replace(' ', '+'));
    }
  }
}
