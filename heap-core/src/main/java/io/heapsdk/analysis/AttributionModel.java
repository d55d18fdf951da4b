package io.heapsdk.analysis;

import io.heapsdk.internal.NearestNames;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an attribution shares one conversion's credit among its touches (sessions), ordered by start time, then session id. */
public enum AttributionModel {
  /** All credit to the earliest touch. */
  FIRST_TOUCH,
  /** All credit to the latest touch. */
  LAST_TOUCH,
  /** All credit to the latest touch whose channel is not direct; to the latest touch when all are direct. */
  LAST_NON_DIRECT,
  /** Equal credit to every touch. */
  LINEAR,
  /**
   * By position (40/20/40 by default): the first and last touches get their shares, the touches in
   * between split the middle share. One touch gets everything; with two, the middle share is split
   * equally between them (first + middle/2, last + middle/2).
   */
  POSITION_BASED,
  /** Weight {@code 2^(-age / half-life)} per touch, age = conversion time minus session start, normalized to sum to 1. */
  TIME_DECAY;

  /** The name used on the command line, e.g. {@code last_non_direct}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The model called {@code name} (case-insensitive, {@code -} or {@code _}). */
  public static AttributionModel parse(String name) {
    for (AttributionModel m : values()) {
      if (m.cliName().equalsIgnoreCase(name.strip().replace('-', '_'))) {
        return m;
      }
    }
    throw new HeapAnalysisException(
        Attribution.WHAT,
        "model",
        "unknown model \"" + name + "\""
            + NearestNames.didYouMean(
                name, Arrays.stream(values()).map(AttributionModel::cliName).toList(), "expected one of",
                Arrays.stream(values()).map(AttributionModel::cliName).collect(Collectors.joining(", "))));
  }
}
