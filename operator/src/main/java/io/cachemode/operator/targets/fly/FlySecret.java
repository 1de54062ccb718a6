package io.cachemode.operator.targets.fly;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One app secret as Fly lists it: a name, an opaque digest and times, never the value (OpenAPI
 * {@code AppSecret}; fly-go {@code secrets_types.go}). The value field exists only for {@code
 * show_secrets}, which the operator never asks for (superfly/docs {@code apps/secrets}: "we do not
 * allow read access to the plain-text values of secrets"), and is not even parsed.
 */
record FlySecret(String name, String digest, String updatedAt, String createdAt) {

  static FlySecret from(JsonNode n) {
    return new FlySecret(
        text(n, "name"), text(n, "digest"), text(n, "updated_at"), text(n, "created_at"));
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
