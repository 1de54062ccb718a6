package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.cache.CacheModeIndexes;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The CacheMode informer's store, with the {@link CacheModeIndexes} the reconciles and the workload
 * events look CacheModes up by.
 *
 * <p>CacheModes are kept without their managedFields field sets. Each field set decodes into one
 * map per field, a quarter of a cached CacheMode (bench/README.md, "Memory at 1,000 apps"); the
 * settle window ({@link Coalescing}) reads only who wrote when (manager, subresource, time), which
 * stays. The informer hands each decoded object to its store before anyone else sees it, so
 * trimming in place is safe, and the API server's copy is untouched: status is written by JOSDK's
 * server-side apply of the status alone.
 *
 * <p>The indexes are kept here, beside the objects, so that an update adds a CacheMode's new keys
 * before it drops the old ones: a lookup during the update finds the CacheMode under every key it
 * keeps (the old copy or the new one, never none), which Fabric8's own index does not promise (see
 * {@link CacheModeIndexes}). The informer calls {@link #put} and {@link #remove} one at a time;
 * lookups run on any thread, without a lock.
 *
 * <p>One store serves one informer: JOSDK hands a controller's store to each of its namespaces'
 * informers, where a relist in one namespace would drop the others' objects, so this store is for a
 * controller that watches all namespaces or a single one.
 */
public final class CacheModeStore extends BasicItemStore<CacheMode> implements CacheModeIndexes {
  private final Map<String, Function<CacheMode, List<String>>> indexers = new ConcurrentHashMap<>();

  /** Per index, each key's CacheModes (by store key). */
  private final Map<String, Map<String, Set<String>>> indexes = new ConcurrentHashMap<>();

  public CacheModeStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public synchronized void addIndexer(String name, Function<CacheMode, List<String>> keys) {
    indexers.put(name, keys);
    Map<String, Set<String>> index = indexes.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    keySet()
        .forEach(
            key -> {
              CacheMode cm = get(key);
              if (cm != null) {
                keys.apply(cm).forEach(k -> add(index, k, key));
              }
            });
  }

  @Override
  public List<CacheMode> byIndex(String name, String key) {
    Map<String, Set<String>> index = indexes.get(name);
    if (index == null) {
      throw new IllegalArgumentException("no index " + name);
    }
    return index.getOrDefault(key, Set.of()).stream()
        .map(this::get)
        .filter(Objects::nonNull)
        .toList();
  }

  @Override
  public synchronized CacheMode put(String key, CacheMode cm) {
    List<ManagedFieldsEntry> entries = cm.getMetadata().getManagedFields();
    if (entries != null) {
      entries.forEach(e -> e.setFieldsV1(null));
    }
    Map<String, List<String>> keys = keysOf(cm);
    CacheMode before = super.put(key, cm);
    keys.forEach((name, ks) -> ks.forEach(k -> add(indexes.get(name), k, key)));
    if (before != null) {
      dropStale(key, keysOf(before), keys);
    }
    return before;
  }

  @Override
  public synchronized CacheMode remove(String key) {
    CacheMode before = super.remove(key);
    if (before != null) {
      dropStale(key, keysOf(before), Map.of());
    }
    return before;
  }

  private Map<String, List<String>> keysOf(CacheMode cm) {
    Map<String, List<String>> keys = new HashMap<>();
    indexers.forEach((name, fn) -> keys.put(name, fn.apply(cm)));
    return keys;
  }

  private void dropStale(
      String storeKey, Map<String, List<String>> old, Map<String, List<String>> kept) {
    old.forEach(
        (name, ks) -> {
          List<String> still = kept.getOrDefault(name, List.of());
          Map<String, Set<String>> index = indexes.get(name);
          ks.stream()
              .filter(k -> !still.contains(k))
              .forEach(
                  k ->
                      index.computeIfPresent(
                          k,
                          (x, members) -> {
                            members.remove(storeKey);
                            return members.isEmpty() ? null : members;
                          }));
        });
  }

  private static void add(Map<String, Set<String>> index, String key, String storeKey) {
    index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(storeKey);
  }
}
