package io.heapsdk.warehouse;

import io.heapsdk.HeapException;

/** A model uses something a warehouse cannot express. */
public final class UnsupportedFeatureException extends HeapException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFeatureException(String warehouse, String feature) {
    super(warehouse + ": " + feature + " is not supported on this warehouse");
  }
}
