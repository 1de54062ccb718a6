package io.cachemode.operator.targets.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.targets.FlagReading.Writer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyWritersTest {
  /** managedFields as the API server records an operator apply and a later stringData apply. */
  private static final Secret SECRET =
      Serialization.unmarshal(
          """
          apiVersion: v1
          kind: Secret
          metadata:
            name: app-env
            managedFields:
              - manager: cachemode-operator
                operation: Apply
                time: "2026-12-02T05:40:00Z"
                fieldsType: FieldsV1
                fieldsV1: {"f:data": {"f:SUSPEND_REDIS": {}}}
              - manager: argocd-application-controller
                operation: Apply
                time: "2026-12-02T05:41:07Z"
                fieldsType: FieldsV1
                fieldsV1: {"f:stringData": {"f:SUSPEND_REDIS": {}}}
              - manager: kubectl-edit
                operation: Update
                time: "2026-12-02T05:50:00Z"
                fieldsType: FieldsV1
                fieldsV1: {"f:data": {"f:DATABASE_URL": {}}}
          data: {SUSPEND_REDIS: ZmFsc2U=}
          """,
          Secret.class);

  @Test
  void theLatestManagerOfTheKeyWinsWhetherItWroteDataOrStringData() {
    assertThat(KeyWriters.lastWriter(SECRET, "SUSPEND_REDIS"))
        .contains(
            new Writer("argocd-application-controller", Instant.parse("2026-12-02T05:41:07Z")));
    assertThat(KeyWriters.lastWriter(SECRET, "DATABASE_URL"))
        .map(Writer::fieldManager)
        .contains("kubectl-edit");
    assertThat(KeyWriters.lastWriter(SECRET, "OTHER")).isEmpty();
  }
}
