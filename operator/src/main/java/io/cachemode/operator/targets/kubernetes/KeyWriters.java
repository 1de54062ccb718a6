package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.targets.FlagReading.Writer;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * Who last wrote one key of a Secret, from its managedFields: the API server's own record of each
 * field manager's fields and the time of its last write. Pure.
 */
final class KeyWriters {
  private KeyWriters() {}

  static Optional<Writer> lastWriter(Secret secret, String key) {
    if (secret == null || secret.getMetadata().getManagedFields() == null) {
      return Optional.empty();
    }
    return secret.getMetadata().getManagedFields().stream()
        .filter(e -> e.getTime() != null && e.getManager() != null && owns(e, key))
        .map(e -> new Writer(e.getManager(), Instant.parse(e.getTime())))
        .max(Comparator.comparing(Writer::at));
  }

  private static boolean owns(ManagedFieldsEntry e, String key) {
    if (e.getFieldsV1() == null) {
      return false;
    }
    Object data = e.getFieldsV1().getAdditionalProperties().get("f:data");
    return data instanceof Map<?, ?> fields && fields.containsKey("f:" + key);
  }
}
