package io.cachemode.operator.testing;

/**
 * The namespace {@link ControlPlaneExtension} created for the current test class. It is deleted
 * after the class.
 *
 * @param name the namespace name, e.g. {@code controlplanesmoketest-k3x9q2}
 */
public record TestNamespace(String name) {
  @Override
  public String toString() {
    return name;
  }
}
