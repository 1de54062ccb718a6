package io.cachemode.operator.app;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The API server connection, found as every Fabric8 client finds it (the in-cluster service
 * account, or {@code KUBECONFIG} / {@code ~/.kube/config}), with one correction for identities that
 * carry no token.
 */
final class ClientConfig {
  private ClientConfig() {}

  /** The operator's client: this configuration, decoding through {@link SharedStrings}. */
  static KubernetesClient client() {
    return new KubernetesClientBuilder()
        .withConfig(load())
        .withKubernetesSerialization(SharedStrings.serialization())
        .build();
  }

  static Config load() {
    Config config = new ConfigBuilder().build();
    if (carriesNoToken(config)) {
      // Fabric8's token refresher re-reads the configuration once a minute, and only moves its
      // clock when it finds a token: with a client certificate (or no credentials) every request
      // after the first minute parsed the kubeconfig again, a quarter of everything the operator
      // allocated at 1,000 apps (bench/README.md). A certificate is never refreshed there anyway:
      // the TLS context is built once, so answering "no token" loses nothing.
      config.setOauthTokenProvider(() -> null);
    }
    return config;
  }

  private static boolean carriesNoToken(Config config) {
    return isEmpty(config.getOauthToken())
        && isEmpty(config.getAutoOAuthToken())
        && config.getOauthTokenProvider() == null
        && config.getAuthProvider() == null;
  }

  private static boolean isEmpty(String s) {
    return s == null || s.isEmpty();
  }
}
