package io.heapsdk.run;

import io.heapsdk.config.HeapConfig;
import io.heapsdk.config.PhysicalOptions;
import io.heapsdk.model.Materialization;
import io.heapsdk.model.PlannedModel;
import io.heapsdk.model.ProjectPlan;
import io.heapsdk.warehouse.SqlRenderer;
import io.heapsdk.warehouse.Warehouse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The definition of each materialized model on one warehouse, as a SHA-256 (hex) of its rendered
 * full-refresh query and its rendered table options. Everything that changes what a table holds or how
 * it is laid out changes its query or options text: conversion events, channel rules, the fallback
 * channel, own domain, session timeout, identity resolution, funnel steps, columns, partitioning. A
 * change in how heap renders SQL changes it too, which rebuilds the tables once after an upgrade: the
 * safe side. Ephemeral models are inlined into their readers' queries, so they need no fingerprint.
 */
public final class Fingerprints {
  private final Map<String, String> byModel;

  private Fingerprints(Map<String, String> byModel) {
    this.byModel = byModel;
  }

  public static Fingerprints of(Warehouse warehouse, ProjectPlan plan) {
    SqlRenderer renderer = new SqlRenderer(warehouse, plan);
    HeapConfig c = plan.config();
    Map<String, String> prints = new LinkedHashMap<>();
    for (PlannedModel m : plan.materialized()) {
      PhysicalOptions options = c.physicalOptions(m.name()).resolve(m.model().uniqueKey(), m.model().tableTimeColumn(), m.model().userColumn());
      String definition =
          renderer.select(m.name()) + "\n-- table options\n" + warehouse.tableOptions(options) + "\n-- materialized "
              + m.model().materialization();
      prints.put(m.name(), sha256(definition));
    }
    return new Fingerprints(prints);
  }

  /** The fingerprint of a materialized model. */
  public String of(String model) {
    String f = byModel.get(model);
    if (f == null) {
      throw new IllegalArgumentException("no materialized model " + model);
    }
    return f;
  }

  public Map<String, String> all() {
    return Map.copyOf(byModel);
  }

  /**
   * Every materialized model that reads one of {@code changed}, directly or through ephemeral models or
   * other materialized ones, mapped to the changed model it is downstream of (the first found).
   */
  public static Map<String, String> downstream(ProjectPlan plan, Set<String> changed) {
    Map<String, String> result = new LinkedHashMap<>();
    for (PlannedModel m : plan.models()) {
      if (m.model().materialization() == Materialization.EPHEMERAL || changed.contains(m.name())) {
        continue;
      }
      // breadth-first through the refs; planned models come in dependency order, so refs are known
      Deque<String> todo = new ArrayDeque<>(m.refs());
      Set<String> seen = new LinkedHashSet<>();
      while (!todo.isEmpty()) {
        String r = todo.poll();
        if (!seen.add(r)) {
          continue;
        }
        if (changed.contains(r)) {
          result.put(m.name(), r);
          break;
        }
        todo.addAll(plan.model(r).refs());
      }
    }
    return result;
  }

  static String sha256(String text) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(d.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
