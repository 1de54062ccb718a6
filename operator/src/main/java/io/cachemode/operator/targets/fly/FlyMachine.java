package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A machine as the Machines API returns it, reduced to what the rollout rules read. {@code config}
 * is kept whole (unknown fields included) because an update must send the full config back.
 *
 * @param state created, starting, started, stopping, stopped, suspending, suspended, replacing,
 *     destroying, destroyed or failed
 * @param instanceId the machine version; every update creates a new one
 * @param checks health check results; empty right after a start
 */
record FlyMachine(
    String id,
    String name,
    String state,
    String region,
    String instanceId,
    ObjectNode config,
    List<CheckStatus> checks) {

  /** One health check result: {@code status} is passing, warning or critical. */
  record CheckStatus(String name, String status) {}

  static FlyMachine from(JsonNode n) {
    List<CheckStatus> checks = new ArrayList<>();
    n.path("checks").forEach(c -> checks.add(new CheckStatus(text(c, "name"), text(c, "status"))));
    JsonNode config = n.get("config");
    return new FlyMachine(
        text(n, "id"),
        text(n, "name"),
        text(n, "state"),
        text(n, "region"),
        text(n, "instance_id"),
        config instanceof ObjectNode o ? o : FlyApi.JSON.createObjectNode(),
        List.copyOf(checks));
  }

  /** A value of {@code config.metadata}, or null. */
  String metadata(String key) {
    return text(config.path("metadata"), key);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
