/**
 * Analyses over the standard facts (SPEC §4): {@link io.heapsdk.analysis.Funnel} and
 * {@link io.heapsdk.analysis.Attribution}, immutable specs with fluent builders that plan their query
 * like a model, so it renders for every warehouse and runs on any JDBC database.
 */
package io.heapsdk.analysis;
