package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

  @Test
  void selectorsTheApiServerAcceptsPass() {
    assertThat(
            LabelSelectors.problem(
                Map.of("app.kubernetes.io/name", "web", "tier", "", "a", "B_1.x-2")))
        .isEmpty();
  }

  @Test
  void aValueWithUnicodeOrControlCharactersIsNamedEscaped() {
    assertThat(LabelSelectors.problem(Map.of("tier", "wé\u0007")))
        .hasValue(
            "label value \"wé\\u0007\" of tier must be empty or at most 63 alphanumerics and -_."
                + " starting and ending alphanumeric");
  }

  @Test
  void badKeysAreNamed() {
    assertThat(LabelSelectors.problem(Map.of("tiér", "web")))
        .get()
        .asString()
        .startsWith("label key \"tiér\" is not [prefix/]name");
    assertThat(LabelSelectors.problem(Map.of("a/b/c", "web"))).isPresent();
    assertThat(LabelSelectors.problem(Map.of("Example.com/name", "web"))).isPresent();
    assertThat(LabelSelectors.problem(Map.of("x".repeat(64), "web"))).isPresent();
  }

  @Test
  void aValueLongerThan63IsRefused() {
    assertThat(LabelSelectors.problem(Map.of("tier", "v".repeat(64)))).isPresent();
    assertThat(LabelSelectors.problem(Map.of("tier", "v".repeat(63)))).isEmpty();
  }
}
