package io.heapsdk.config;

import static io.heapsdk.config.Condition.all;
import static io.heapsdk.config.Condition.any;
import static io.heapsdk.config.Condition.contains;
import static io.heapsdk.config.Condition.equalTo;
import static io.heapsdk.config.Condition.isNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The default channel rules, written out by hand from SPEC §3 ("Channel attribution rules"), so the
 * tests do not compare the code with itself.
 */
final class DefaultChannelRules {
  private DefaultChannelRules() {}

  /** Rules 1–5 of SPEC §3 (rule 6 needs an own domain, rule 7 is the fallback). */
  static List<ChannelRule> withoutOwnDomain() {
    return List.of(
        // 1. medium contains cpc and source is facebook
        new ChannelRule("Facebook Paid", all(contains("utm_medium", "cpc"), equalTo("utm_source", "facebook"))),
        // 2. source contains bing and medium contains cpc
        new ChannelRule("Paid Bing Search", all(contains("utm_source", "bing"), contains("utm_medium", "cpc"))),
        // 3. (medium contains cpc or landing page query contains gclid) and referrer contains google
        new ChannelRule(
            "Paid Google Search",
            all(
                any(contains("utm_medium", "cpc"), contains("landing_page_query", "gclid")),
                contains("referrer", "google"))),
        // 4. referrer is null
        new ChannelRule("Direct", isNull("referrer")),
        // 5. referrer contains google / bing / yahoo / duckduck and source and medium are null
        new ChannelRule(
            "Organic Search",
            all(
                any(
                    contains("referrer", "google"),
                    contains("referrer", "bing"),
                    contains("referrer", "yahoo"),
                    contains("referrer", "duckduck")),
                isNull("utm_source"),
                isNull("utm_medium"))));
  }

  /** Rules 1–6 of SPEC §3: rule 6 labels referrals from the own domain with the domain. */
  static List<ChannelRule> withOwnDomain(String domain) {
    List<ChannelRule> rules = new ArrayList<>(withoutOwnDomain());
    rules.add(new ChannelRule(domain, contains("referrer", domain)));
    return rules;
  }
}
