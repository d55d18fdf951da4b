/**
 * The {@code heap} command-line tool ({@link io.heapsdk.cli.HeapCli}): {@code demo}, {@code compile},
 * {@code sample} and {@code run}. It only wires the library together: config, models, renderer,
 * runner and sample data all live in heap-core and heap-dialects.
 */
package io.heapsdk.cli;
