package io.cachemode.operator.testing;

import static org.awaitility.Awaitility.await;

import io.cachemode.operator.api.ApiConstants;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Holds the world at one step of a transition: a ValidatingAdmissionPolicy, installed by the test
 * on the real API server, refuses exactly one kind of write (the flag write of one Secret, the
 * restart of one workload) until the gate is closed. The operator sees an ordinary refused request
 * and retries; the test can then kill it at a known step, with no fault hook in the operator.
 */
public final class AdmissionGate implements AutoCloseable {
  private final KubernetesClient client;
  private final List<HasMetadata> objects;
  private final String message;

  private AdmissionGate(KubernetesClient client, List<HasMetadata> objects, String message) {
    this.client = client;
    this.objects = objects;
    this.message = message;
  }

  /** Refuses writes that put {@code value} into {@code key} of Secret {@code ns/secret}. */
  public static AdmissionGate flagWrite(
      KubernetesClient client, String ns, String secret, String key, String value) {
    String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    String data = "has(object.data) && '%s' in object.data".formatted(key);
    String before =
        "has(oldObject.data) && '%s' in oldObject.data && string(oldObject.data['%s']) == '%s'"
            .formatted(key, key, encoded);
    String condition =
        "object.metadata.name == '%s' && %s && string(object.data['%s']) == '%s' && !(%s)"
            .formatted(secret, data, key, encoded, before);
    return deny(
        client,
        "gate-write-" + secret,
        ns,
        "",
        "secrets",
        "UPDATE",
        condition,
        "test gate: writing " + value + " to " + secret + "/" + key + " is held");
  }

  /**
   * Refuses the operator's restart of workload {@code name} (a Deployment or StatefulSet): an
   * update that adds or changes the {@code cachemode.io/flag-hash} pod-template annotation.
   */
  public static AdmissionGate restart(
      KubernetesClient client, String ns, String resource, String name) {
    String annotation = ApiConstants.FLAG_HASH_ANNOTATION;
    String hash = "object.spec.template.metadata.annotations['%s']".formatted(annotation);
    String hasHash =
        "has(object.spec.template.metadata.annotations) && '%s' in object.spec.template.metadata.annotations"
            .formatted(annotation);
    String hadSame =
        ("has(oldObject.spec.template.metadata.annotations) && '%s' in"
                + " oldObject.spec.template.metadata.annotations &&"
                + " oldObject.spec.template.metadata.annotations['%s'] == %s")
            .formatted(annotation, annotation, hash);
    String condition =
        "object.metadata.name == '%s' && %s && !(%s)".formatted(name, hasHash, hadSame);
    return deny(
        client,
        "gate-restart-" + name,
        ns,
        "apps",
        resource,
        "UPDATE",
        condition,
        "test gate: restarting " + name + " is held");
  }

  /**
   * Refuses to create the pods of a restart for {@code flagHash} (they carry its pod-template
   * annotation), so that rollout stays in progress: the new ReplicaSet exists, its pods do not.
   */
  public static AdmissionGate podsOf(KubernetesClient client, String ns, String flagHash) {
    String annotation = ApiConstants.FLAG_HASH_ANNOTATION;
    String condition =
        "has(object.metadata.annotations) && '%s' in object.metadata.annotations &&"
            + " object.metadata.annotations['%s'] == '%s'";
    return deny(
        client,
        "gate-pods-" + flagHash,
        ns,
        "",
        "pods",
        "CREATE",
        condition.formatted(annotation, annotation, flagHash),
        "test gate: pods of flag hash " + flagHash + " are held");
  }

  private static AdmissionGate deny(
      KubernetesClient client,
      String name,
      String ns,
      String group,
      String resource,
      String operation,
      String condition,
      String message) {
    String policyName = (name + "-" + ns).replaceAll("[^a-z0-9-]", "-");
    HasMetadata policy =
        Serialization.unmarshal(
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: %s}
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules:
                - apiGroups: ["%s"]
                  apiVersions: ["v1"]
                  operations: ["%s"]
                  resources: ["%s"]
              validations:
              - expression: %s
                message: %s
            """
                .formatted(
                    policyName,
                    group,
                    operation,
                    resource,
                    Serialization.asJson("!(" + condition + ")"),
                    Serialization.asJson(message)));
    HasMetadata binding =
        Serialization.unmarshal(
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: %s}
            spec:
              policyName: %s
              validationActions: [Deny]
              matchResources:
                namespaceSelector:
                  matchLabels: {kubernetes.io/metadata.name: %s}
            """
                .formatted(policyName, policyName, ns));
    List<HasMetadata> objects = List.of(policy, binding);
    objects.forEach(o -> client.resource(o).create());
    return new AdmissionGate(client, objects, message);
  }

  /**
   * Waits until the API server enforces the gate: {@code attempt} (a dry-run write the gate must
   * refuse) fails with the gate's message.
   */
  public AdmissionGate awaitEffective(Runnable attempt) {
    await("admission gate effective: " + message)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try {
                attempt.run();
                return false;
              } catch (KubernetesClientException e) {
                return e.getMessage() != null && e.getMessage().contains(message);
              }
            });
    return this;
  }

  /** The message the API server's refusal carries. */
  public String message() {
    return message;
  }

  /** Lets writes through again: the binding and policy are deleted (effective within moments). */
  @Override
  public void close() {
    for (int i = objects.size() - 1; i >= 0; i--) {
      client.resource(objects.get(i)).delete();
    }
  }
}
