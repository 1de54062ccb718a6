package io.cachemode.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An informer store that keeps objects without the metadata no decision of the operator reads.
 * {@code managedFields} is the largest part of a cached object: each field set decodes into one map
 * per field (half of a cached Deployment, a quarter of a CacheMode; bench/README.md, "Memory"). The
 * informer hands every object it decoded to its store before anyone else sees it, so trimming in
 * place is safe; the API server's copy is untouched (the operator writes by server-side apply of
 * its own fields, never from a cached copy).
 *
 * <p>One store serves one informer: JOSDK hands the same store to every namespace's informer of an
 * event source, and a relist in one namespace would drop the other namespaces' objects from a
 * shared one.
 */
public final class TrimmedStore<T extends HasMetadata> extends BasicItemStore<T> {
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final Consumer<ObjectMeta> trim;

  private TrimmedStore(Consumer<ObjectMeta> trim) {
    super(Cache::metaNamespaceKeyFunc);
    this.trim = trim;
  }

  /**
   * For workloads: nothing reads their managedFields or kubectl's copy of the last applied manifest
   * (another copy of the whole object).
   */
  public static <T extends HasMetadata> TrimmedStore<T> withoutManagedFields() {
    return new TrimmedStore<>(
        meta -> {
          meta.setManagedFields(null);
          Map<String, String> annotations = meta.getAnnotations();
          if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
            Map<String, String> kept = new LinkedHashMap<>(annotations);
            kept.remove(LAST_APPLIED);
            meta.setAnnotations(kept);
          }
        });
  }

  /**
   * For CacheModes: the settle window reads who wrote when (manager, subresource, time), never
   * which fields.
   */
  public static <T extends HasMetadata> TrimmedStore<T> withoutFieldSets() {
    return new TrimmedStore<>(
        meta -> {
          List<ManagedFieldsEntry> entries = meta.getManagedFields();
          if (entries != null) {
            entries.forEach(e -> e.setFieldsV1(null));
          }
        });
  }

  @Override
  public T put(String key, T object) {
    trim.accept(object.getMetadata());
    return super.put(key, object);
  }
}
