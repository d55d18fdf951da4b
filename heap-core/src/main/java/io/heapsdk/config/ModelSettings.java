package io.heapsdk.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heapsdk.source.PassThroughColumn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The settings of a config that shape what the models build, by their YAML key ({@code
 * conversion_events}, {@code sessionization.timeout_minutes}, {@code models.<model>.cluster_by}), each
 * value as compact JSON. A run records them, so that the next one can say which keys changed when a
 * model's definition did: "definition changed" with two fingerprints tells an analytics engineer nothing
 * about why a table is about to be rebuilt.
 *
 * <p>Defaults are written out ({@code sessionization.timeout_minutes} is {@code 30} when unset), so that
 * setting a key to its default is no change; a key without a default value (an own domain, a renamed
 * table) is absent when unset. Not here: the settings that change no model's rows or layout (the
 * late-arrival lookback, which the run records on its own, run history, reconcile, freshness).
 */
public final class ModelSettings {
  /**
   * The longest record kept whole, in UTF-8 bytes: Redshift's widest VARCHAR is 65,535 bytes. Above it
   * the longest values are kept as a digest and their length, which still tells that they changed.
   */
  public static final int MAX_BYTES = 60_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DIGEST = "sha-256 ";

  private ModelSettings() {}

  /** The settings of {@code config} that shape the models, by key, in the loader's order of keys. */
  public static Map<String, String> of(HeapConfig config) {
    Map<String, Object> s = new LinkedHashMap<>();
    config.sourceDatabase().ifPresent(v -> s.put("source.database", v));
    s.put("source.schema", config.sourceSchema());
    new java.util.TreeMap<>(config.sourceTables()).forEach((table, name) -> s.put("source.tables." + table, name));
    new java.util.TreeMap<>(config.sourceColumns()).forEach((column, name) -> s.put("source.columns." + column, name));
    if (!config.pageviewProperties().isEmpty()) {
      List<String> properties = new ArrayList<>();
      for (PassThroughColumn p : config.pageviewProperties()) {
        properties.add(p.name() + " " + p.type().name().toLowerCase(Locale.ROOT));
      }
      s.put("source.pageview_properties", properties);
    }
    if (!config.sessionProperties().isEmpty()) {
      // only when set: a run recorded before the key existed reads as the same settings
      List<String> properties = new ArrayList<>();
      for (PassThroughColumn p : config.sessionProperties()) {
        properties.add(p.name() + " " + p.type().name().toLowerCase(Locale.ROOT));
      }
      s.put("source.session_properties", properties);
    }
    config.targetDatabase().ifPresent(v -> s.put("target.database", v));
    s.put("target.schema", config.targetSchema());
    s.put("funnel_events", config.funnelEvents());
    s.put("conversion_events", config.conversionEvents());
    s.put("sessionization.timeout_minutes", config.sessionTimeoutMinutes());
    s.put("sessions.conversion_window_days", config.conversionWindowDays());
    s.put("identity.resolve_migrations", config.resolveMigrations());
    if (config.usersEnabled()) {
      // only when set: a run recorded before the key existed reads as the same settings
      s.put("users.enabled", true);
    }
    new java.util.TreeMap<>(config.physicalOptions()).forEach((model, o) -> {
      String at = "models." + model + ".";
      o.partitionBy().ifPresent(v -> s.put(at + "partition_by", v));
      o.partitionGranularity().ifPresent(v -> s.put(at + "partition_granularity", v.key()));
      if (o.unclustered()) {
        s.put(at + "cluster_by", List.of("none"));
      } else if (!o.clusterBy().isEmpty()) {
        s.put(at + "cluster_by", o.clusterBy());
      }
      o.distKey().ifPresent(v -> s.put(at + "dist_key", v));
      if (!o.sortKey().isEmpty()) {
        s.put(at + "sort_key", o.sortKey());
      }
    });
    config.ownDomain().ifPresent(v -> s.put("channels.own_domain", v));
    s.put("channels.fallback", config.fallbackChannel());
    if (!config.channelRules().isEmpty()) {
      List<Object> rules = new ArrayList<>();
      for (ChannelRule r : config.channelRules()) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("channel", r.channel());
        rule.put("when", yaml(r.when()));
        rules.add(rule);
      }
      s.put("channels.rules", rules);
    }
    Map<String, String> json = new LinkedHashMap<>();
    s.forEach((key, value) -> json.put(key, json(value)));
    return json;
  }

  /** A condition as the config writes it: {@code {field: utm_medium, equals: email}}, {@code {any: […]}}. */
  private static Object yaml(Condition c) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (c instanceof Condition.Contains x) {
      m.put("field", x.field());
      m.put("contains", x.value());
    } else if (c instanceof Condition.EqualTo x) {
      m.put("field", x.field());
      m.put("equals", x.value());
    } else if (c instanceof Condition.IsNull x) {
      m.put("field", x.field());
      m.put("is_null", true);
    } else if (c instanceof Condition.IsNotNull x) {
      m.put("field", x.field());
      m.put("is_not_null", true);
    } else if (c instanceof Condition.All x) {
      m.put("all", x.conditions().stream().map(ModelSettings::yaml).toList());
    } else if (c instanceof Condition.Any x) {
      m.put("any", x.conditions().stream().map(ModelSettings::yaml).toList());
    }
    return m;
  }

  /**
   * The settings as one text to record: a JSON object, at most {@link #MAX_BYTES} bytes of UTF-8, the
   * values longest in UTF-8 replaced by their digest until it fits. Empty where even that does not fit
   * (settings beyond any config's size): then nothing is recorded, and a later run names no keys, rather
   * than a run that built every model failing at its record.
   */
  public static Optional<String> write(Map<String, String> settings) {
    Map<String, String> kept = new LinkedHashMap<>(settings);
    String text = json(kept);
    while (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      Optional<String> longest = kept.entrySet().stream()
          .filter(e -> !e.getValue().startsWith(DIGEST) && utf8(e.getValue()) > utf8(digest(e.getValue())))
          .max(java.util.Comparator.comparingInt(e -> utf8(e.getValue())))
          .map(Map.Entry::getKey);
      if (longest.isEmpty()) {
        return Optional.empty();
      }
      kept.put(longest.get(), digest(kept.get(longest.get())));
      text = json(kept);
    }
    return Optional.of(text);
  }

  private static int utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8).length;
  }

  /** What {@link #write} wrote; empty when the text is not such a record (written by something else). */
  public static Optional<Map<String, String>> read(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) {
        return Optional.empty();
      }
      return Optional.of(JSON.convertValue(node, new TypeReference<LinkedHashMap<String, String>>() {}));
    } catch (JsonProcessingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Each key whose value differs, as {@code key then -> now} ({@code (not set)} where a side lacks it), in
   * the order of {@code now}'s keys, then the keys only {@code then} has.
   */
  public static List<String> changes(Map<String, String> then, Map<String, String> now) {
    List<String> changes = new ArrayList<>();
    TreeSet<String> gone = new TreeSet<>(then.keySet());
    gone.removeAll(now.keySet());
    List<String> keys = new ArrayList<>(now.keySet());
    keys.addAll(gone);
    for (String key : keys) {
      String before = then.get(key);
      String after = now.get(key);
      if (before != null && before.equals(after)) {
        continue;
      }
      if (before != null && after != null && (before.startsWith(DIGEST) || after.startsWith(DIGEST))) {
        // a value too long to keep whole on one side: its digest still tells whether it changed
        if (before.startsWith(DIGEST) && digest(after).equals(before) || after.startsWith(DIGEST) && digest(before).equals(after)) {
          continue;
        }
        changes.add(key + " changed (" + length(before) + " -> " + length(after) + " characters)");
        continue;
      }
      changes.add(key + " " + (before == null ? "(not set)" : before) + " -> " + (after == null ? "(not set)" : after));
    }
    return changes;
  }

  private static String length(String value) {
    return value.startsWith(DIGEST) ? value.substring(value.indexOf('(') + 1, value.indexOf(' ', value.indexOf('('))) : String.format(Locale.ROOT, "%,d", value.length());
  }

  private static String digest(String value) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return DIGEST + HexFormat.of().formatHex(hash) + " (" + String.format(Locale.ROOT, "%,d", value.length()) + " characters)";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("plain lists, maps and texts always write as JSON", e);
    }
  }
}
