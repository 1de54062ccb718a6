package io.cachemode.operator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.utils.TokenRefreshInterceptor;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Fabric8's token refresher does with the loaded configuration once its minute is up (an
 * interceptor whose last refresh was at the epoch): the kubeconfig is rewritten after loading, so a
 * re-read shows as the new token in the request's Authorization header.
 */
class ClientConfigTest {
  @TempDir Path dir;
  private Path kubeconfig;
  private String before;

  @BeforeEach
  void pointAtKubeconfig() {
    kubeconfig = dir.resolve("kubeconfig");
    before = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
    } else {
      System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, before);
    }
  }

  @Test
  void aCertificateIdentityIsNotReReadBeforeEachRequest() throws IOException {
    write("client-certificate: /certs/op.crt, client-key: /certs/op.key");
    Config config = ClientConfig.load();
    write("token: rewritten");

    assertThat(headersAfterTheMinute(config)).doesNotContainKey("Authorization");
    assertThat(config.getClientCertFile()).isEqualTo("/certs/op.crt");
  }

  @Test
  void fabric8AloneReReadsTheKubeconfigForACertificateIdentity() throws IOException {
    // Why ClientConfig exists: the same identity through Fabric8's own loading.
    write("client-certificate: /certs/op.crt, client-key: /certs/op.key");
    Config config = new ConfigBuilder().build();
    write("token: rewritten");

    assertThat(headersAfterTheMinute(config)).containsEntry("Authorization", "Bearer rewritten");
  }

  @Test
  void aTokenIdentityStillRefreshesItsToken() throws IOException {
    write("token: first");
    Config config = ClientConfig.load();
    assertThat(config.getOauthTokenProvider()).isNull();
    write("token: rotated");

    assertThat(headersAfterTheMinute(config)).containsEntry("Authorization", "Bearer rotated");
  }

  private void write(String user) throws IOException {
    Files.writeString(
        kubeconfig,
        "apiVersion: v1\n"
            + "kind: Config\n"
            + "clusters: [{name: c, cluster: {server: \"https://127.0.0.1:6443\"}}]\n"
            + "users: [{name: op, user: {"
            + user
            + "}}]\n"
            + "contexts: [{name: x, context: {cluster: c, user: op}}]\n"
            + "current-context: x\n");
  }

  private static Map<String, String> headersAfterTheMinute(Config config) {
    Map<String, String> headers = new HashMap<>();
    BasicBuilder request =
        new BasicBuilder() {
          @Override
          public BasicBuilder uri(URI uri) {
            return this;
          }

          @Override
          public BasicBuilder header(String name, String value) {
            headers.put(name, value);
            return this;
          }

          @Override
          public BasicBuilder setHeader(String name, String value) {
            headers.put(name, value);
            return this;
          }
        };
    new TokenRefreshInterceptor(config, Instant.EPOCH, c -> CompletableFuture.completedFuture(null))
        .before(request, null, null);
    return headers;
  }

  @Test
  void theOperatorsClientSharesRepeatedStrings() throws IOException {
    write("token: t0");
    String json =
        "{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"namespace\": \"shop\"}}";
    try (KubernetesClient client = ClientConfig.client()) {
      Secret a = client.getKubernetesSerialization().unmarshal(json, Secret.class);
      Secret b = client.getKubernetesSerialization().unmarshal(json, Secret.class);
      assertThat(b.getMetadata().getNamespace()).isSameAs(a.getMetadata().getNamespace());
    }
  }
}
