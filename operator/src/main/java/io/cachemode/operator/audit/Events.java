package io.cachemode.operator.audit;

import io.cachemode.operator.api.CacheMode;

/** Where a reconcile reports what it did, for people reading {@code kubectl describe}. */
public interface Events {
  void normal(CacheMode cm, String reason, String message);

  void warning(CacheMode cm, String reason, String message);
}
