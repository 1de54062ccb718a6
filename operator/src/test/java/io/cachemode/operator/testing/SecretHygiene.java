package io.cachemode.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The secret-hygiene check every integration test runs under: it records every status the operator
 * writes (through a watch), every Event, the operator's logs and its /metrics, and at the end
 * asserts that no credential or Secret value the test used appears in any of them.
 */
public final class SecretHygiene implements AutoCloseable {
  /** Values too short or too common to be told apart from ordinary words (flag values). */
  private static final Set<String> ORDINARY = Set.of("true", "false", "url", "token");

  private final KubernetesClient client;
  private final String namespace;
  private final Set<String> sensitive = Collections.synchronizedSet(new LinkedHashSet<>());
  private final List<String> recorded = Collections.synchronizedList(new ArrayList<>());
  private final CapturedLogs logs = CapturedLogs.atInfo();
  private final Watch statuses;

  private SecretHygiene(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.statuses =
        client
            .resources(CacheMode.class)
            .inNamespace(namespace)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, CacheMode cm) {
                    if (cm.getStatus() != null) {
                      recorded.add(Serialization.asJson(cm.getStatus()));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  public static SecretHygiene watching(KubernetesClient client, String namespace) {
    return new SecretHygiene(client, namespace);
  }

  /** A value that must never be shown: a Secret's data, a token, a password. */
  public void sensitive(String value) {
    if (value == null || value.length() < 6 || ORDINARY.contains(value)) {
      return;
    }
    sensitive.add(value);
    try {
      URI uri = URI.create(value);
      if (uri.getUserInfo() != null) {
        String info = uri.getUserInfo();
        sensitive(info.contains(":") ? info.substring(info.indexOf(':') + 1) : info);
      }
    } catch (IllegalArgumentException e) {
      // not a URI: the whole value is what must not appear
    }
  }

  /** Text the operator exposed that is not otherwise captured (e.g. a /metrics scrape). */
  public void exposed(String text) {
    recorded.add(text);
  }

  /** Asserts that nothing recorded, no Event and no log line holds a sensitive value. */
  public void assertClean() {
    List<String> texts = new ArrayList<>(recorded);
    texts.add(Serialization.asJson(client.v1().events().inNamespace(namespace).list().getItems()));
    texts.add(logs.text());
    for (String value : List.copyOf(sensitive)) {
      for (String text : texts) {
        assertThat(text)
            .as(
                "a Secret value or credential of the test leaked into status, Events, logs or metrics")
            .doesNotContain(value);
      }
    }
  }

  @Override
  public void close() {
    statuses.close();
    logs.close();
  }
}
