package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A machine lease as {@code POST .../lease} returns it: {@code {"status":"success","data":{nonce,
 * expires_at, owner, description, version}}} (superfly/docs {@code
 * reference/machines/_machines_lease_create_resp.erb}; fly-go {@code MachineLease}).
 *
 * @param version the machine version (instance id) the lease was taken on
 */
record Lease(String nonce, long expiresAt, String owner, String version) {

  static Lease from(JsonNode reply) {
    JsonNode d = reply.path("data");
    return new Lease(
        d.path("nonce").asText(null),
        d.path("expires_at").asLong(0),
        d.path("owner").asText(null),
        d.path("version").asText(null));
  }
}
