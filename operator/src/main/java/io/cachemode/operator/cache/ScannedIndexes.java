package io.cachemode.operator.cache;

import io.cachemode.operator.api.CacheMode;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link CacheModeIndexes} answered by scanning the cache, for an operator watching several
 * namespaces, whose CacheModes cannot have a store of their own (JOSDK shares one between the
 * namespaces' informers). Every lookup computes every cached CacheMode's keys: correct, and slower
 * than the indexed store in proportion to the CacheModes watched.
 */
public final class ScannedIndexes implements CacheModeIndexes {
  private final IndexedResourceCache<CacheMode> cache;
  private final Map<String, Function<CacheMode, List<String>>> indexers = new ConcurrentHashMap<>();

  public ScannedIndexes(IndexedResourceCache<CacheMode> cache) {
    this.cache = cache;
  }

  @Override
  public void addIndexer(String name, Function<CacheMode, List<String>> keys) {
    indexers.put(name, keys);
  }

  @Override
  public List<CacheMode> byIndex(String name, String key) {
    Function<CacheMode, List<String>> keys = indexers.get(name);
    if (keys == null) {
      throw new IllegalArgumentException("no index " + name);
    }
    return cache.list(cm -> keys.apply(cm).contains(key)).toList();
  }
}
