/**
 * Internals of the library that other packages of it share. Not API: anything here may change in any
 * release.
 */
package io.heapsdk.internal;
