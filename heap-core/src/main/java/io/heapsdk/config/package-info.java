/**
 * The library's configuration: {@link io.heapsdk.config.HeapConfig}, read from YAML by
 * {@link io.heapsdk.config.HeapConfigLoader} or built in code, and validated either way.
 */
@Value.Style(
    get = {"is*", "get*"},
    init = "*",
    visibility = Value.Style.ImplementationVisibility.PUBLIC,
    defaults = @Value.Immutable(copy = true))
package io.heapsdk.config;

import org.immutables.value.Value;
