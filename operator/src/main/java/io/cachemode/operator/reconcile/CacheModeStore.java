package io.cachemode.operator.reconcile;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;

/**
 * The CacheMode informer's store: CacheModes are kept without their managedFields field sets. Each
 * field set decodes into one map per field, a quarter of a cached CacheMode (bench/README.md,
 * "Memory at 1,000 apps"); the settle window ({@link Coalescing}) reads only who wrote when
 * (manager, subresource, time), which stays. The informer hands each decoded object to its store
 * before anyone else sees it, so trimming in place is safe, and the API server's copy is untouched:
 * status is written by JOSDK's server-side apply of the status alone.
 *
 * <p>One store serves one informer: JOSDK hands a controller's store to each of its namespaces'
 * informers, where a relist in one namespace would drop the others' objects, so this store is for a
 * controller that watches all namespaces or a single one.
 */
public final class CacheModeStore extends BasicItemStore<CacheMode> {
  public CacheModeStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public CacheMode put(String key, CacheMode cm) {
    List<ManagedFieldsEntry> entries = cm.getMetadata().getManagedFields();
    if (entries != null) {
      entries.forEach(e -> e.setFieldsV1(null));
    }
    return super.put(key, cm);
  }
}
