package io.heapsdk.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The names nearest to one a user mistyped, for a "did you mean" in a message: a config key in another
 * case or with a hyphen ({@code Funnel_Events}, {@code funnel-events}), a letter dropped or swapped
 * ({@code --stpes}). Not part of the API.
 */
public final class NearestNames {
  private NearestNames() {}

  /**
   * Up to three of {@code names} near {@code typed}, nearest first: those equal to it but for case and
   * {@code -}/{@code _}, then those within an edit distance of a quarter of its length (at least 2).
   */
  public static List<String> of(String typed, Collection<String> names) {
    String folded = fold(typed);
    int most = Math.max(2, typed.length() / 4);
    return names.stream()
        .filter(n -> fold(n).equals(folded) || editDistance(fold(n), folded) <= most)
        .sorted(Comparator.comparingInt((String n) -> fold(n).equals(folded) ? 0 : 1).thenComparingInt(n -> editDistance(fold(n), folded))
            .thenComparing(Comparator.naturalOrder()))
        .limit(3)
        .toList();
  }

  /** {@code "; did you mean 'a' or 'b'?"}, or nothing when no name is near. */
  public static String didYouMean(String typed, Collection<String> names) {
    List<String> near = of(typed, names);
    return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near.stream().map(n -> "'" + n + "'").toList()) + "?";
  }

  /**
   * The end of a message about {@code typed}, which is none of {@code names}: {@code "; <intro> <list>"},
   * or with a name near it {@code "; did you mean 'a'? <Intro> <list>"} ({@code intro} such as
   * "expected one of", {@code list} the names as the message shows them).
   */
  public static String didYouMean(String typed, Collection<String> names, String intro, String list) {
    String near = didYouMean(typed, names);
    return near.isEmpty()
        ? "; " + intro + " " + list
        : near + " " + Character.toUpperCase(intro.charAt(0)) + intro.substring(1) + " " + list;
  }

  private static String fold(String name) {
    return name.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  /** Levenshtein distance: insertions, deletions and substitutions, one each. */
  public static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
