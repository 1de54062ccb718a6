package io.cachemode.operator.cache;

import io.cachemode.operator.api.CacheMode;
import java.util.List;
import java.util.function.Function;

/**
 * The cached CacheModes by a key of their own (a flag location, a named workload), answering with
 * every CacheMode that has the key, including one being replaced in the cache at that moment.
 *
 * <p>Fabric8's informer index does not promise that: it updates a replaced object's entries by
 * removing the old ones, then adding the new ones, and reads without its lock, so a lookup that
 * meets an update finds nothing for a key the object had before and after
 * (fabric8io/kubernetes-client#7265, shown in {@code CacheModeStoreTest}). A CacheMode's own status
 * write replaces it in the cache just as its workload's controller reports the restart, so a
 * workload event mapped through that index was lost in a burst of 1,000 (the CacheMode waited out
 * its rollout timeout), and a reconcile could miss the older CacheMode that owns its Secret key.
 */
public interface CacheModeIndexes {
  /** Adds an index; before the informers start. */
  void addIndexer(String name, Function<CacheMode, List<String>> keys);

  /** The CacheModes whose keys for index {@code name} include {@code key}, as now cached. */
  List<CacheMode> byIndex(String name, String key);
}
