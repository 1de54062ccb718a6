package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.api.ApiConstants;
import io.cachemode.operator.api.KubernetesTargetSpec;
import io.cachemode.operator.api.WorkloadKind;
import io.cachemode.operator.api.WorkloadReference;
import io.cachemode.operator.flag.FlagLocation;
import io.cachemode.operator.targets.FlagReading;
import io.cachemode.operator.targets.SecretVersion;
import io.cachemode.operator.targets.Target;
import io.cachemode.operator.targets.TargetException;
import io.cachemode.operator.targets.WorkloadState;
import io.cachemode.operator.targets.WriteReceipt;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A flag stored in one key of a Secret, read by Deployments and StatefulSets in the same namespace.
 * Reads come from the informers' caches where they hold the object (it is labelled) until {@link
 * #readFresh()}: the reconciler asks for that before it decides a write or restart, so such a
 * decision is never made on a stale copy, while following a rollout costs no request. Writes are
 * server-side applies that own only the key, the restart annotations and the operator's labels.
 */
public final class KubernetesTarget implements Target {
  /** Label on restarted workloads, so the operator's workload informers can be narrowed to them. */
  public static final String MANAGED_WORKLOAD_LABEL = ApiConstants.GROUP + "/managed";

  private final KubernetesClient client;
  private final InformerCaches caches;
  private final String namespace;
  private final String owner;
  private final KubernetesTargetSpec spec;
  private final Executor freshReads;

  /**
   * Labels and annotations are applied under their own field manager: an apply owns exactly the
   * fields it sends, so a labels-only apply under the key's manager would delete the key.
   */
  private static final String LABEL_MANAGER = ApiConstants.FIELD_MANAGER + "-labels";

  /** The Secret as last read in this reconcile (a target lives for one reconcile). */
  private Secret lastSeen;

  /**
   * Named workloads as read in this reconcile, so validation and rollout state share one read.
   * Dropped by {@link #readFresh()}; after a restart, what the API server answered the patch with.
   */
  private final Map<String, HasMetadata> readThisReconcile = new HashMap<>();

  /** Whether reads skip the informers' caches (set by {@link #readFresh()}). */
  private boolean fresh;

  /**
   * @param freshReads where a fresh Secret read runs while the calling thread reads the workloads
   */
  public KubernetesTarget(
      KubernetesClient client,
      InformerCaches caches,
      String namespace,
      String owner,
      KubernetesTargetSpec spec,
      Executor freshReads) {
    this.client = client;
    this.caches = caches;
    this.namespace = namespace;
    this.owner = owner;
    this.spec = spec;
    this.freshReads = freshReads;
  }

  @Override
  public FlagLocation location() {
    return FlagLocation.secret(namespace, secretName(), key());
  }

  @Override
  public void readFresh() {
    fresh = true;
    lastSeen = null;
    readThisReconcile.clear();
  }

  @Override
  public List<ReferenceProblem> validate() {
    // Read afresh, the Secret comes on another thread while this one reads the workloads: a write
    // waits one round trip less (bench/README.md, "What the figures say").
    CompletableFuture<Secret> fetched =
        fresh ? CompletableFuture.supplyAsync(this::fetchSecret, freshReads) : null;
    List<ReferenceProblem> workloadProblems = workloadProblems();
    if (fetched == null) {
      secret();
    } else {
      lastSeen = join(fetched);
    }
    List<ReferenceProblem> problems = secretProblems(lastSeen);
    problems.addAll(workloadProblems);
    return problems;
  }

  private List<ReferenceProblem> secretProblems(Secret s) {
    List<ReferenceProblem> problems = new ArrayList<>();
    if (s == null) {
      problems.add(
          new ReferenceProblem(
              "SecretNotFound",
              "spec.target.kubernetes.secretRef: Secret "
                  + namespace
                  + "/"
                  + secretName()
                  + " not found"));
    } else if (Boolean.TRUE.equals(s.getImmutable())) {
      // Refused before any claim or write: the API server would refuse the write on every retry.
      problems.add(
          new ReferenceProblem(
              "SecretImmutable",
              "spec.target.kubernetes.secretRef: Secret "
                  + namespace
                  + "/"
                  + secretName()
                  + " is immutable, so key "
                  + key()
                  + " cannot be written; recreate the Secret without immutable: true"));
    }
    return problems;
  }

  private List<ReferenceProblem> workloadProblems() {
    List<ReferenceProblem> problems = new ArrayList<>();
    List<WorkloadReference> refs = spec.getWorkloads() == null ? List.of() : spec.getWorkloads();
    for (int i = 0; i < refs.size(); i++) {
      WorkloadReference ref = refs.get(i);
      String path = "spec.target.kubernetes.workloads[" + i + "]";
      HasMetadata found = get(ref.getKind(), ref.getName());
      if (found == null) {
        WorkloadKind other =
            ref.getKind() == WorkloadKind.Deployment
                ? WorkloadKind.StatefulSet
                : WorkloadKind.Deployment;
        problems.add(
            get(other, ref.getName()) != null
                ? new ReferenceProblem(
                    "WorkloadKindMismatch",
                    path + ": " + ref.getName() + " is a " + other + ", not a " + ref.getKind())
                : new ReferenceProblem(
                    "WorkloadNotFound",
                    path
                        + ": "
                        + ref.getKind()
                        + " "
                        + namespace
                        + "/"
                        + ref.getName()
                        + " not found"));
      } else {
        restartability(found)
            .ifPresent(
                why ->
                    problems.add(
                        new ReferenceProblem("WorkloadNotRestartable", path + ": " + why)));
      }
    }
    Optional<String> badSelector =
        hasSelector() ? LabelSelectors.problem(spec.getWorkloadSelector()) : Optional.empty();
    if (badSelector.isPresent()) {
      problems.add(
          new ReferenceProblem(
              "InvalidWorkloadSelector",
              "spec.target.kubernetes.workloadSelector: " + badSelector.get()));
    } else if (hasSelector() && selected().isEmpty()) {
      problems.add(
          new ReferenceProblem(
              "NoWorkloadsSelected",
              "spec.target.kubernetes.workloadSelector: no Deployment or StatefulSet in "
                  + namespace
                  + " has labels "
                  + spec.getWorkloadSelector()));
    }
    return problems;
  }

  @Override
  public FlagReading readFlag() {
    Secret s = lastSeen == null ? secret() : lastSeen;
    if (s == null || s.getData() == null || !s.getData().containsKey(key())) {
      return FlagReading.of(Optional.empty());
    }
    FlagReading reading =
        FlagReading.of(
            Optional.of(
                new String(
                    Base64.getDecoder().decode(s.getData().get(key())), StandardCharsets.UTF_8)));
    return KeyWriters.lastWriter(s, key()).map(reading::by).orElse(reading);
  }

  @Override
  public void claim() {
    Secret s = lastSeen == null ? secret() : lastSeen;
    var labels =
        s == null || s.getMetadata().getLabels() == null
            ? Map.<String, String>of()
            : s.getMetadata().getLabels();
    var annotations =
        s == null || s.getMetadata().getAnnotations() == null
            ? Map.<String, String>of()
            : s.getMetadata().getAnnotations();
    if (key().equals(labels.get(ApiConstants.MANAGED_KEY_LABEL))
        && owner.equals(annotations.get(ApiConstants.OWNER_ANNOTATION))) {
      return;
    }
    GenericKubernetesResource patch = skeleton("v1", "Secret", secretName());
    patch.getMetadata().setLabels(Map.of(ApiConstants.MANAGED_KEY_LABEL, key()));
    patch.getMetadata().setAnnotations(Map.of(ApiConstants.OWNER_ANNOTATION, owner));
    apply(patch, LABEL_MANAGER);
  }

  /**
   * An apply under the label manager that sends no labels or annotations gives up the fields that
   * manager owned, so the API server removes exactly the operator's label and annotation.
   */
  @Override
  public boolean release() {
    readFresh();
    Secret s = secret();
    if (s == null
        || s.getMetadata().getAnnotations() == null
        || !owner.equals(s.getMetadata().getAnnotations().get(ApiConstants.OWNER_ANNOTATION))) {
      return false;
    }
    apply(skeleton("v1", "Secret", secretName()), LABEL_MANAGER);
    lastSeen = null;
    return true;
  }

  @Override
  public WriteReceipt writeFlag(String canonicalValue, Instant now) {
    GenericKubernetesResource patch = skeleton("v1", "Secret", secretName());
    patch.setAdditionalProperty(
        "data",
        Map.of(
            key(),
            Base64.getEncoder().encodeToString(canonicalValue.getBytes(StandardCharsets.UTF_8))));
    apply(patch, ApiConstants.FIELD_MANAGER);
    return new WriteReceipt(canonicalValue, now.toString(), new SecretVersion(null, null, null));
  }

  @Override
  public List<String> restart(String flagHash, Instant now) {
    if (!fresh) {
      readFresh();
    }
    List<String> restarted = new ArrayList<>();
    for (HasMetadata w : workloads()) {
      WorkloadState state = state(w, flagHash);
      if (flagHash.equals(state.flagHash())) {
        continue;
      }
      Map<String, Object> templateMeta =
          Map.of(
              "annotations",
              Map.of(
                  ApiConstants.FLAG_HASH_ANNOTATION,
                  flagHash,
                  ApiConstants.RESTARTED_AT_ANNOTATION,
                  now.toString()));
      GenericKubernetesResource patch = skeleton("apps/v1", w.getKind(), w.getMetadata().getName());
      patch.getMetadata().setLabels(Map.of(MANAGED_WORKLOAD_LABEL, "true"));
      patch.setAdditionalProperty("spec", Map.of("template", Map.of("metadata", templateMeta)));
      // The patch's answer is the workload as it is now: the rollout state is read from it.
      GenericKubernetesResource applied = apply(patch, ApiConstants.FIELD_MANAGER);
      Class<? extends HasMetadata> type =
          w instanceof Deployment ? Deployment.class : StatefulSet.class;
      readThisReconcile.put(
          w.getKind() + "/" + w.getMetadata().getName(),
          client.getKubernetesSerialization().convertValue(applied, type));
      restarted.add(w.getKind() + " " + w.getMetadata().getName());
    }
    return restarted;
  }

  @Override
  public List<WorkloadState> rolloutState(String flagHash) {
    return workloads().stream().map(w -> state(w, flagHash)).toList();
  }

  @Override
  public Map<String, String> flagUse() {
    Map<String, String> out = new LinkedHashMap<>();
    for (HasMetadata w : workloads()) {
      PodSpec pod =
          w instanceof Deployment d
              ? d.getSpec().getTemplate().getSpec()
              : ((StatefulSet) w).getSpec().getTemplate().getSpec();
      out.put(w.getKind() + " " + w.getMetadata().getName(), FlagUses.of(pod, secretName(), key()));
    }
    return out;
  }

  private static WorkloadState state(HasMetadata w, String flagHash) {
    return w instanceof Deployment d
        ? RolloutRules.deployment(d, flagHash)
        : RolloutRules.statefulSet((StatefulSet) w, flagHash);
  }

  private static Optional<String> restartability(HasMetadata w) {
    if (w instanceof Deployment d && Boolean.TRUE.equals(d.getSpec().getPaused())) {
      return Optional.of(
          "Deployment "
              + d.getMetadata().getName()
              + " is paused; resume it so a restart can roll out");
    }
    if (w instanceof StatefulSet s
        && s.getSpec().getUpdateStrategy() != null
        && "OnDelete".equals(s.getSpec().getUpdateStrategy().getType())) {
      return Optional.of(
          "StatefulSet "
              + s.getMetadata().getName()
              + " uses updateStrategy OnDelete, so its pods never restart on a template change");
    }
    return Optional.empty();
  }

  /** Named workloads first, then selected ones, each once. */
  private List<HasMetadata> workloads() {
    Map<String, HasMetadata> all = new LinkedHashMap<>();
    for (WorkloadReference ref :
        spec.getWorkloads() == null ? List.<WorkloadReference>of() : spec.getWorkloads()) {
      HasMetadata w = get(ref.getKind(), ref.getName());
      if (w == null) {
        throw new TargetException(
            ref.getKind() + " " + namespace + "/" + ref.getName() + " disappeared");
      }
      all.put(w.getKind() + "/" + ref.getName(), w);
    }
    selected().forEach(w -> all.putIfAbsent(w.getKind() + "/" + w.getMetadata().getName(), w));
    return List.copyOf(all.values());
  }

  private List<HasMetadata> selected() {
    if (!hasSelector()) {
      return List.of();
    }
    List<HasMetadata> found = new ArrayList<>();
    call(
        () ->
            found.addAll(
                client
                    .apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withLabels(spec.getWorkloadSelector())
                    .list()
                    .getItems()));
    call(
        () ->
            found.addAll(
                client
                    .apps()
                    .statefulSets()
                    .inNamespace(namespace)
                    .withLabels(spec.getWorkloadSelector())
                    .list()
                    .getItems()));
    return found;
  }

  private boolean hasSelector() {
    return spec.getWorkloadSelector() != null && !spec.getWorkloadSelector().isEmpty();
  }

  private HasMetadata get(WorkloadKind kind, String name) {
    String id = kind + "/" + name;
    HasMetadata cached = readThisReconcile.get(id);
    if (cached != null) {
      return cached;
    }
    HasMetadata found =
        (fresh ? Optional.<HasMetadata>empty() : caches.workload(kind, namespace, name))
            .orElseGet(() -> fetch(kind, name));
    if (found != null) {
      readThisReconcile.put(id, found);
    }
    return found;
  }

  private HasMetadata fetch(WorkloadKind kind, String name) {
    return call(
        () ->
            kind == WorkloadKind.Deployment
                ? client.apps().deployments().inNamespace(namespace).withName(name).get()
                : client.apps().statefulSets().inNamespace(namespace).withName(name).get());
  }

  private Secret secret() {
    lastSeen =
        (fresh ? Optional.<Secret>empty() : caches.secret(namespace, secretName()))
            .orElseGet(this::fetchSecret);
    return lastSeen;
  }

  private Secret fetchSecret() {
    return call(() -> client.secrets().inNamespace(namespace).withName(secretName()).get());
  }

  private static <T> T join(CompletableFuture<T> pending) {
    try {
      return pending.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException cause ? cause : e;
    }
  }

  private GenericKubernetesResource skeleton(String apiVersion, String kind, String name) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion)
        .withKind(kind)
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .build();
  }

  private GenericKubernetesResource apply(GenericKubernetesResource r, String fieldManager) {
    return call(
        () ->
            client
                .genericKubernetesResources(r.getApiVersion(), r.getKind())
                .inNamespace(namespace)
                .resource(r)
                .fieldManager(fieldManager)
                .forceConflicts()
                .serverSideApply());
  }

  private String secretName() {
    return spec.getSecretRef().getName();
  }

  private String key() {
    return spec.getSecretRef().getKey() == null
        ? ApiConstants.DEFAULT_FLAG_KEY
        : spec.getSecretRef().getKey();
  }

  private static <T> T call(Supplier<T> s) {
    try {
      return s.get();
    } catch (KubernetesClientException e) {
      throw new TargetException("Kubernetes API call failed: " + e.getMessage(), e);
    }
  }

  private static void call(Runnable r) {
    call(
        () -> {
          r.run();
          return null;
        });
  }
}
