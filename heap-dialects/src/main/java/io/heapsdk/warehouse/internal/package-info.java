/**
 * Helpers the warehouse packages share to print SQL. Not an API: public only because each warehouse
 * lives in its own package; it may change in any release.
 */
package io.heapsdk.warehouse.internal;
