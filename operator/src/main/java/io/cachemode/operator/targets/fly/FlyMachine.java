package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A machine as the Machines API returns it (OpenAPI schema {@code Machine}; fly-go {@code
 * machine_types.go} {@code Machine}), reduced to what the rollout rules read. {@code config} is
 * kept whole (unknown fields included) because an update must send the full config back
 * (superfly/docs {@code machines/api/machines-resource.html.markerb}: "we don't support partial
 * updates").
 *
 * @param state created, starting, started, stopping, stopped, suspending, suspended, replacing,
 *     updating, destroying, destroyed, failed... (superfly/docs {@code machines/machine-states})
 * @param instanceId the machine version; every update creates a new one, and it is what an update's
 *     {@code current_version} and a lease's {@code version} refer to
 * @param hostStatus ok, unknown or unreachable; null when the API left it out
 * @param config {@code config}, or {@code incomplete_config} when Fly could not retrieve the full
 *     one (then {@code configComplete} is false); read for metadata, never sent back when
 *     incomplete
 * @param configComplete whether {@code config} is the machine's full config, fit to clone
 * @param checks health check results, without Fly's {@code bg_deployments_compat*} placeholders;
 *     empty right after a start
 */
record FlyMachine(
    String id,
    String name,
    String state,
    String region,
    String instanceId,
    String hostStatus,
    ObjectNode config,
    boolean configComplete,
    Optional<ImageRef> imageRef,
    List<CheckStatus> checks) {

  /**
   * Check names Fly inserts for older flyctl versions' bluegreen strategy; fly-go strips them from
   * every machine it returns ({@code machine_types.go} {@code RemoveCompatChecks}).
   */
  static final String COMPAT_CHECK_PREFIX = "bg_deployments_compat";

  /** One health check result: {@code status} is passing, warning or critical. */
  record CheckStatus(String name, String status) {}

  /**
   * The image the machine runs ({@code image_ref} is an object: OpenAPI {@code ImageRef}, fly-go
   * {@code MachineImageRef}).
   */
  record ImageRef(String registry, String repository, String tag, String digest) {
    /** Like fly-go {@code FullImageRef}: registry/repository[:tag][@digest]. */
    @Override
    public String toString() {
      return registry
          + "/"
          + repository
          + (tag == null ? "" : ":" + tag)
          + (digest == null ? "" : "@" + digest);
    }
  }

  static FlyMachine from(JsonNode n) {
    List<CheckStatus> checks = new ArrayList<>();
    for (JsonNode c : n.path("checks")) {
      String name = text(c, "name");
      if (name == null || !name.startsWith(COMPAT_CHECK_PREFIX)) {
        checks.add(new CheckStatus(name, text(c, "status")));
      }
    }
    boolean complete = n.get("config") instanceof ObjectNode;
    JsonNode config = complete ? n.get("config") : n.get("incomplete_config");
    JsonNode image = n.get("image_ref");
    return new FlyMachine(
        text(n, "id"),
        text(n, "name"),
        text(n, "state"),
        text(n, "region"),
        text(n, "instance_id"),
        text(n, "host_status"),
        config instanceof ObjectNode o ? o : FlyApi.JSON.createObjectNode(),
        complete,
        image != null && image.isObject()
            ? Optional.of(
                new ImageRef(
                    text(image, "registry"),
                    text(image, "repository"),
                    text(image, "tag"),
                    text(image, "digest")))
            : Optional.empty(),
        List.copyOf(checks));
  }

  /** A value of {@code config.metadata}, or null. */
  String metadata(String key) {
    return text(config.path("metadata"), key);
  }

  /**
   * Why this machine cannot be updated now, or empty: flyctl does not lease a machine whose host is
   * not ok ({@code internal/machine/lease.go}), and an incomplete config is "not suitable to clone
   * or recreate the original machine" (fly-go {@code machine_types.go}). A missing {@code
   * host_status} counts as ok.
   */
  Optional<String> notUpdatable() {
    if (hostStatus != null && !"ok".equals(hostStatus)) {
      return Optional.of(
          "its host is "
              + hostStatus
              + (configComplete ? "" : " and Fly returned only an incomplete config"));
    }
    if (!configComplete) {
      return Optional.of("Fly returned only an incomplete config, not fit to clone");
    }
    return Optional.empty();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
