package io.cachemode.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** What the client's decoding shares between objects, and that it decodes what Fabric8 decodes. */
class SharedStringsTest {
  private final KubernetesSerialization shared = SharedStrings.serialization();
  private final KubernetesSerialization plain = new KubernetesSerialization();

  @Test
  void repeatedValuesOfTwoObjectsAreOneString() {
    Deployment a = shared.unmarshal(deployment("app-0001"), Deployment.class);
    Deployment b = shared.unmarshal(deployment("app-0002"), Deployment.class);

    assertThat(b.getMetadata().getNamespace()).isSameAs(a.getMetadata().getNamespace());
    assertThat(b.getMetadata().getLabels().get("tier"))
        .isSameAs(a.getMetadata().getLabels().get("tier"));
    assertThat(container(b).getImage()).isSameAs(container(a).getImage());
    assertThat(container(b).getArgs().get(0)).isSameAs(container(a).getArgs().get(0));
    assertThat(b.getStatus().getConditions().get(0).getType())
        .isSameAs(a.getStatus().getConditions().get(0).getType());
    assertThat(b.getMetadata().getName()).isEqualTo("app-0002");
    assertThat(a.getMetadata().getName()).isEqualTo("app-0001");
  }

  @Test
  void decodesWhatFabric8Decodes() {
    String json = deployment("app-0001");
    assertThat(shared.unmarshal(json, Deployment.class))
        .isEqualTo(plain.unmarshal(json, Deployment.class));
    String cacheMode = cacheMode();
    assertThat(shared.unmarshal(cacheMode, CacheMode.class))
        .usingRecursiveComparison()
        .isEqualTo(plain.unmarshal(cacheMode, CacheMode.class));
  }

  @Test
  void theStatusHistoryOfTwoCacheModesSharesItsReasons() {
    CacheMode a = shared.unmarshal(cacheMode(), CacheMode.class);
    CacheMode b = shared.unmarshal(cacheMode(), CacheMode.class);

    assertThat(b.getStatus().getHistory().get(0).getReason())
        .isEqualTo("RolloutComplete")
        .isSameAs(a.getStatus().getHistory().get(0).getReason());
  }

  @Test
  void longValuesAreKeptAsDecoded() {
    String longValue = "x".repeat(SharedStrings.MAX_LENGTH + 1);
    String json = deployment("app-0001").replace("\"front\"", "\"" + longValue + "\"");
    Deployment a = shared.unmarshal(json, Deployment.class);
    Deployment b = shared.unmarshal(json, Deployment.class);

    assertThat(b.getMetadata().getLabels().get("tier"))
        .isEqualTo(longValue)
        .isNotSameAs(a.getMetadata().getLabels().get("tier"));
  }

  @Test
  void coercedAndNullValuesDecodeAsJacksonDecodesThem() {
    String json =
        deployment("app-0001").replace("\"front\"", "7").replace("\"IfNotPresent\"", "null");
    Deployment d = shared.unmarshal(json, Deployment.class);

    assertThat(d.getMetadata().getLabels()).containsEntry("tier", "7");
    assertThat(container(d).getImagePullPolicy()).isNull();
  }

  @Test
  void valuesThatMeetInOneSlotEachComeBackAsThemselves() {
    SharedStrings table = new SharedStrings();
    String first = new String("app-0001");
    String other = sameSlotAs(first);

    assertThat(table.share(first)).isSameAs(first);
    assertThat(table.share(other)).isSameAs(other);
    // the slot now holds the other value: the first is held again, never answered with the other
    assertThat(table.share(new String("app-0001"))).isEqualTo("app-0001");
    assertThat(table.share(new String(other))).isEqualTo(other);
    assertThat(table.share(null)).isNull();
  }

  private static String sameSlotAs(String value) {
    int wanted = slot(value);
    for (int i = 0; ; i++) {
      String candidate = "other-" + i;
      if (slot(candidate) == wanted) {
        return candidate;
      }
    }
  }

  private static int slot(String value) {
    int h = value.hashCode();
    return (h ^ (h >>> 16)) & (SharedStrings.SLOTS - 1);
  }

  private static io.fabric8.kubernetes.api.model.Container container(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String deployment(String name) {
    return """
        {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "%s", "namespace": "bench-cm", "labels": {"tier": "front"}},
         "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "%s"}},
           "template": {"metadata": {"labels": {"app": "%s"}},
             "spec": {"containers": [{"name": "app", "image": "ghcr.io/example/atom-saas:1.0.0",
               "imagePullPolicy": "IfNotPresent", "args": ["--serve"]}]}}},
         "status": {"observedGeneration": 1,
           "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}]}}
        """
        .formatted(name, name, name);
  }

  private static String cacheMode() {
    return """
        {"apiVersion": "cachemode.io/v1", "kind": "CacheMode",
         "metadata": {"name": "app-0001-redis", "namespace": "bench-cm"},
         "spec": {"suspend": true},
         "status": {"phase": "Suspended",
           "history": [{"time": "2026-12-04T18:58:12Z", "from": "RollingOut", "to": "Verifying",
             "reason": "RolloutComplete", "message": "rolled out; verifying the change"}]}}
        """;
  }
}
