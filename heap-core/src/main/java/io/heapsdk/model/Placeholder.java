package io.heapsdk.model;

import java.util.List;
import java.util.Optional;

/**
 * What a table scan in a model's plan stands for. Plans never scan real tables: they scan placeholders
 * carrying the row type of a Heap source table, an upstream model or an earlier stage of the same query,
 * and the renderer decides per warehouse whether each becomes a qualified table name or a CTE name.
 *
 * <p>The kind is encoded as the first part of the placeholder table's qualified name.
 */
public record Placeholder(Kind kind, String name) {
  /** What a placeholder refers to. */
  public enum Kind {
    /** A Heap Connect source table, by logical name ({@code pageviews}). */
    SOURCE("heap$source"),
    /** Another model, by name. */
    MODEL("heap$model"),
    /** A named intermediate step of a model's query (a CTE). */
    STAGE("heap$stage"),
    /** The rows an incremental model recomputes in this run (a table built before they are applied). */
    CHANGES("heap$changes"),
    /** The users an incremental run recomputes (a one-column table of {@code heap_user_id}). */
    ACTIVE_USERS("heap$active"),
    /** Another working table of an incremental run, by name (the high-water mark). */
    WORK("heap$work");

    private final String marker;

    Kind(String marker) {
      this.marker = marker;
    }
  }

  /** {@link Kind#values()}, which copies the array at every call: every identifier rendered is decoded. */
  private static final Kind[] KINDS = Kind.values();

  /** The qualified name given to the placeholder table. */
  public List<String> qualifiedName() {
    return List.of(kind.marker, name);
  }

  /** The placeholder a qualified table name encodes, if it is one. */
  public static Optional<Placeholder> decode(List<String> qualifiedName) {
    if (qualifiedName.size() != 2) {
      return Optional.empty();
    }
    for (Kind k : KINDS) {
      if (k.marker.equals(qualifiedName.get(0))) {
        return Optional.of(new Placeholder(k, qualifiedName.get(1)));
      }
    }
    return Optional.empty();
  }
}
