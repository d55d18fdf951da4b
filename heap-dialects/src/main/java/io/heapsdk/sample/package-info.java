/**
 * Deterministic sample data for Heap Connect's source tables: {@link io.heapsdk.sample.SampleData}
 * generates users, sessions, pageviews, events and identity merges for a made-up shop, and loads them
 * into any JDBC database through {@link io.heapsdk.run.SourceTables}; {@link io.heapsdk.sample.LaterBatch}
 * adds later syncs on top of it (new and returning users, late rows, duplicates, identity merges). The
 * demo, the examples and host applications' tests use it to run the models without a real Heap
 * Connect sync.
 */
package io.heapsdk.sample;
