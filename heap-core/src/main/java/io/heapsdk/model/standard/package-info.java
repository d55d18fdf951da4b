/**
 * The standard Heap models of SPEC §2–3, defined through the public model API exactly as a user's
 * model would be: three ephemeral transforms that rename and dedupe Heap's tables, and three
 * incremental facts (events, sessionized pageviews, sessions with channels and conversions).
 */
package io.heapsdk.model.standard;
