package io.heapsdk.cli;

import io.heapsdk.model.HeapProject;
import io.heapsdk.sample.SampleData;

/** The demo's project (standard models plus two of the demo's own), for tests outside this package. */
public final class DemoProjects {
  private DemoProjects() {}

  public static HeapProject demo() {
    return DemoModels.project(SampleData.demoConfig());
  }
}
