package io.cachemode.operator.targets.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An informer store that keeps workloads without {@code managedFields} and kubectl's {@code
 * last-applied-configuration} copy: no decision about a workload reads either, and together they
 * are half of a cached Deployment (each managedFields field set decodes into one map per field;
 * bench/README.md, "Memory at 1,000 apps"). The informer hands every object it decoded to its store
 * before anyone else sees it, so trimming in place is safe; the API server's copy is untouched (the
 * operator writes workloads by server-side apply of its own fields, never from a cached copy).
 * Secrets keep theirs: {@link KeyWriters} reads them.
 *
 * <p>One store serves one informer: JOSDK hands an event source's store to each of its namespaces'
 * informers, and a relist in one namespace would drop the other namespaces' objects from a shared
 * one ({@link KubernetesInformers} makes one event source per watched namespace).
 */
final class TrimmedWorkloadStore<W extends HasMetadata> extends BasicItemStore<W> {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  TrimmedWorkloadStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public W put(String key, W workload) {
    var meta = workload.getMetadata();
    meta.setManagedFields(null);
    Map<String, String> annotations = meta.getAnnotations();
    if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
      Map<String, String> kept = new LinkedHashMap<>(annotations);
      kept.remove(LAST_APPLIED);
      meta.setAnnotations(kept);
    }
    return super.put(key, workload);
  }
}
