package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.targets.FlagReading.Writer;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

  /** Every field manager that owns the key. */
  static Set<String> managers(Secret secret, String key) {
    if (secret == null || secret.getMetadata().getManagedFields() == null) {
      return Set.of();
    }
    return secret.getMetadata().getManagedFields().stream()
        .filter(e -> e.getManager() != null && owns(e, key))
        .map(ManagedFieldsEntry::getManager)
        .collect(Collectors.toSet());
  }

  /**
   * Whether the entry owns the key: under {@code data}, or under {@code stringData} (a server-side
   * apply of {@code stringData} is recorded there, not under the data it turns into).
   */
  private static boolean owns(ManagedFieldsEntry e, String key) {
    if (e.getFieldsV1() == null) {
      return false;
    }
    Map<String, Object> fields = e.getFieldsV1().getAdditionalProperties();
    return Stream.of("f:data", "f:stringData")
        .map(fields::get)
        .anyMatch(f -> f instanceof Map<?, ?> keys && keys.containsKey("f:" + key));
  }
}
