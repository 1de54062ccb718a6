package io.cachemode.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadMdcTest {
  private final ThreadMdc mdc = new ThreadMdc();

  @Test
  void valuesAreTheThreadsOwn() throws Exception {
    mdc.put("resource.name", "atom-redis");
    AtomicReference<String> seen = new AtomicReference<>("unset");
    Thread child = new Thread(() -> seen.set(mdc.get("resource.name")));
    child.start();
    child.join();

    assertThat(seen.get()).as("not inherited").isNull();
    assertThat(mdc.get("resource.name")).isEqualTo("atom-redis");
  }

  @Test
  void copiesAreCopiesBothWays() {
    Map<String, String> given = new HashMap<>(Map.of("a", "1"));
    mdc.setContextMap(given);
    given.put("b", "2");
    Map<String, String> copy = mdc.getCopyOfContextMap();
    copy.put("c", "3");

    assertThat(mdc.getCopyOfContextMap()).containsExactly(Map.entry("a", "1"));
  }

  @Test
  void removeAndClear() {
    assertThat(mdc.getCopyOfContextMap()).isNull();
    mdc.put("a", "1");
    mdc.put("b", "2");
    mdc.remove("a");
    assertThat(mdc.getCopyOfContextMap()).containsExactly(Map.entry("b", "2"));
    mdc.clear();
    assertThat(mdc.get("b")).isNull();
    assertThatThrownBy(() -> mdc.put(null, "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stacksByKey() {
    mdc.pushByKey("k", "1");
    mdc.pushByKey("k", "2");
    assertThat(mdc.popByKey("k")).isEqualTo("2");
    assertThat(mdc.getCopyOfDequeByKey("k")).containsExactly("1");
    mdc.clearDequeByKey("k");
    assertThat(mdc.getCopyOfDequeByKey("k")).isEmpty();
  }
}
