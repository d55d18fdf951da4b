/**
 * The library's configuration: {@link io.heapsdk.config.HeapConfig}, read from YAML by
 * {@link io.heapsdk.config.HeapConfigLoader} or built in code, and validated either way.
 */
@Value.Style(
    get = {"is*", "get*"},
    init = "*",
    // HeapConfig.Builder is the public way in: it names the YAML key of a null where Immutables'
    // generated builder and with-methods would throw a bare NullPointerException
    visibility = Value.Style.ImplementationVisibility.PACKAGE,
    // not "Builder": the hand-written HeapConfig.Builder must not become the generated builder's supertype
    typeInnerBuilder = "GeneratedBuilder",
    builder = "generatedBuilder",
    defaults = @Value.Immutable(copy = false))
package io.heapsdk.config;

import org.immutables.value.Value;
