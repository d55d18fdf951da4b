package io.heapsdk.config;

import static io.heapsdk.config.Condition.all;
import static io.heapsdk.config.Condition.any;
import static io.heapsdk.config.Condition.contains;
import static io.heapsdk.config.Condition.equalTo;
import static io.heapsdk.config.Condition.isNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One channel attribution rule: sessions matching {@code when} get the label {@code channel}. Rules are
 * tried in order and the first match wins (SPEC §3).
 */
public record ChannelRule(String channel, Condition when) {
  public ChannelRule {
    HeapConfigException.requireValue("ChannelRule", "channel", channel, "a channel name");
    HeapConfigException.requireValue("ChannelRule", "when", when, "a condition");
  }

  /**
   * The default rules, equal to the original project's channel macro with its defects fixed: the
   * own-domain rule is present only when an own domain is configured, and labels the session with it.
   */
  public static List<ChannelRule> defaults(Optional<String> ownDomain) {
    List<ChannelRule> rules = new ArrayList<>();
    rules.add(
        new ChannelRule(
            "Facebook Paid", all(contains("utm_medium", "cpc"), equalTo("utm_source", "facebook"))));
    rules.add(
        new ChannelRule(
            "Paid Bing Search", all(contains("utm_source", "bing"), contains("utm_medium", "cpc"))));
    rules.add(
        new ChannelRule(
            "Paid Google Search",
            all(
                any(contains("utm_medium", "cpc"), contains("landing_page_query", "gclid")),
                contains("referrer", "google"))));
    rules.add(new ChannelRule("Direct", isNull("referrer")));
    rules.add(
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
    ownDomain.ifPresent(d -> rules.add(new ChannelRule(d, contains("referrer", d))));
    return List.copyOf(rules);
  }
}
