/** A host that is a named module: what it must require, beside heap's own module, is in README.md ("Maven"). */
module com.acme.modular {
  // both heap modules: the config and model API is heap-core's, and an automatic module (heap-dialects)
  // declares no requires of its own, so Maven puts only the modules named here on the module path
  requires io.heapsdk.core;
  requires io.heapsdk.dialects;
  // the RelBuilder of the host's own model; Calcite's jar has no module name, this is its file name's
  requires calcite.core;
  // javac reads Calcite's annotations through Guava's classes
  requires com.google.common;
  requires java.sql;
  // the JDBC driver the host runs its models on
  requires com.h2database;
}
