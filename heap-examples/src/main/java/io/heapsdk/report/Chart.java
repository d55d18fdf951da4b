package io.heapsdk.report;

/**
 * A chart of a {@link Report}: writes one {@code figure} holding inline SVG and a table of the same
 * numbers (for screen readers, for copying, and for reading where the picture is too small).
 *
 * <p>Every drawn quantity (a bar, a cell, a point, a node) is an SVG group of class {@code mark}
 * carrying its number in {@code data-value}, its label in {@code data-label}, a tooltip ({@code title})
 * and the number as text (class {@code num}), so a browser check can compare the picture with the data.
 */
public interface Chart {
  /** Writes the chart's figure. */
  void writeTo(Markup m);
}
