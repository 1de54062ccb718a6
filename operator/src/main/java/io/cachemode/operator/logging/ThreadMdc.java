package io.cachemode.operator.logging;

import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.helpers.ThreadLocalMapOfStacks;
import org.slf4j.spi.MDCAdapter;

/** An MDC of the current thread only (see {@link Slf4jProvider}). */
final class ThreadMdc implements MDCAdapter {
  private final ThreadLocal<Map<String, String>> values = new ThreadLocal<>();
  private final ThreadLocalMapOfStacks stacks = new ThreadLocalMapOfStacks();

  @Override
  public void put(String key, String value) {
    if (key == null) {
      throw new IllegalArgumentException("key cannot be null");
    }
    Map<String, String> map = values.get();
    if (map == null) {
      map = new HashMap<>();
      values.set(map);
    }
    map.put(key, value);
  }

  @Override
  public String get(String key) {
    Map<String, String> map = values.get();
    return map == null ? null : map.get(key);
  }

  @Override
  public void remove(String key) {
    Map<String, String> map = values.get();
    if (map != null) {
      map.remove(key);
    }
  }

  @Override
  public void clear() {
    values.remove();
  }

  @Override
  public Map<String, String> getCopyOfContextMap() {
    Map<String, String> map = values.get();
    return map == null ? null : new HashMap<>(map);
  }

  @Override
  public void setContextMap(Map<String, String> contextMap) {
    values.set(contextMap == null ? null : new HashMap<>(contextMap));
  }

  @Override
  public void pushByKey(String key, String value) {
    stacks.pushByKey(key, value);
  }

  @Override
  public String popByKey(String key) {
    return stacks.popByKey(key);
  }

  @Override
  public Deque<String> getCopyOfDequeByKey(String key) {
    return stacks.getCopyOfDequeByKey(key);
  }

  @Override
  public void clearDequeByKey(String key) {
    stacks.clearDequeByKey(key);
  }
}
