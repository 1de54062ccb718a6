package io.cachemode.operator.target;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.TargetSpec;
import io.cachemode.operator.target.kubernetes.KubernetesTarget;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Builds the {@link Target} a CacheMode's spec describes. */
public final class TargetFactory {
  private final KubernetesClient client;

  public TargetFactory(KubernetesClient client) {
    this.client = client;
  }

  public Target create(CacheMode cm) {
    TargetSpec t = cm.getSpec().getTarget();
    String ns = cm.getMetadata().getNamespace();
    if (t.getKubernetes() != null) {
      return new KubernetesTarget(client, ns, cm.getMetadata().getName(), t.getKubernetes());
    }
    return new UnavailableTarget(
        "spec.target.fly",
        "TargetNotSupported",
        "spec.target.fly: this operator version drives Kubernetes targets only; the Fly.io target is not available");
  }

  /**
   * The one place a flag can live, as a comparable key: two CacheModes with the same location would
   * fight over one key, so only the oldest may manage it.
   */
  public static String location(CacheMode cm) {
    TargetSpec t = cm.getSpec().getTarget();
    if (t.getKubernetes() != null) {
      var ref = t.getKubernetes().getSecretRef();
      String key = ref.getKey() == null ? ApiConstants.DEFAULT_FLAG_KEY : ref.getKey();
      return "Secret " + cm.getMetadata().getNamespace() + "/" + ref.getName() + " key " + key;
    }
    return "Fly app " + t.getFly().getApp() + " secret " + t.getFly().getKey();
  }
}
