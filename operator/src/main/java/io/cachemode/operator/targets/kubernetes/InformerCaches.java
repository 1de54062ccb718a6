package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.api.WorkloadKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Function;

/**
 * The informers' copies of the Secrets and workloads the operator has labelled, for reads that
 * decide nothing on their own (see {@link KubernetesTarget}). Empty until the informers exist, and
 * for any object they do not hold (not labelled yet): the target then asks the API server.
 */
public final class InformerCaches {
  private volatile Function<ResourceID, Optional<Secret>> secrets = id -> Optional.empty();
  private volatile Function<ResourceID, Optional<? extends HasMetadata>> deployments =
      id -> Optional.empty();
  private volatile Function<ResourceID, Optional<? extends HasMetadata>> statefulSets =
      id -> Optional.empty();

  /** Called once the informers are built ({@link KubernetesInformers}). */
  public void use(
      Function<ResourceID, Optional<Secret>> secrets,
      Function<ResourceID, Optional<? extends HasMetadata>> deployments,
      Function<ResourceID, Optional<? extends HasMetadata>> statefulSets) {
    this.secrets = secrets;
    this.deployments = deployments;
    this.statefulSets = statefulSets;
  }

  Optional<Secret> secret(String namespace, String name) {
    return secrets.apply(new ResourceID(name, namespace));
  }

  Optional<HasMetadata> workload(WorkloadKind kind, String namespace, String name) {
    var cache = kind == WorkloadKind.Deployment ? deployments : statefulSets;
    return cache.apply(new ResourceID(name, namespace)).map(HasMetadata.class::cast);
  }
}
