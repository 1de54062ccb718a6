package io.cachemode.operator.audit;

import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.support.DaemonThreads;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a CacheMode, so {@code kubectl describe cmode} shows what happened. Events
 * are sent by a small pool of their own, not by the reconcile thread: each is a request to the API
 * server, and a reconcile waiting on them delayed the next write or restart (bench/README.md,
 * "Where the time goes"). An event that cannot be written, or finds the queue full, is dropped
 * (logged, or counted in {@code cachemode.events.dropped}): the audit trail of record is the status
 * history, which is written with the status.
 */
public final class EventRecorder implements Events {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "cachemode-operator";
  private static final int SENDERS = 2;

  /**
   * Events waiting to be sent: at a few per change, enough for a burst of several hundred changes
   * at once; past it the newest are dropped rather than holding memory or a reconcile.
   */
  public static final int DEFAULT_QUEUE = 1024;

  private final KubernetesClient client;
  private final Clock clock;
  private final ThreadPoolExecutor senders;

  public EventRecorder(KubernetesClient client, Clock clock, OperatorMetrics metrics) {
    this(client, clock, metrics, DEFAULT_QUEUE);
  }

  EventRecorder(KubernetesClient client, Clock clock, OperatorMetrics metrics, int queue) {
    this.client = client;
    this.clock = clock;
    this.senders =
        new ThreadPoolExecutor(
            SENDERS,
            SENDERS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queue),
            DaemonThreads.named("cachemode-events"),
            (r, pool) -> metrics.eventDropped());
    // No thread is kept while nothing is sent (an idle operator, or one started by a test).
    this.senders.allowCoreThreadTimeOut(true);
  }

  @Override
  public void normal(CacheMode cm, String reason, String message) {
    record(cm, "Normal", reason, message);
  }

  @Override
  public void warning(CacheMode cm, String reason, String message) {
    record(cm, "Warning", reason, message);
  }

  private void record(CacheMode cm, String type, String reason, String message) {
    // Built now, on the caller's thread: the CacheMode object may change after this returns.
    Event event = event(cm, type, reason, message);
    senders.execute(() -> send(event));
  }

  /** An object name has at most 253 characters; a CacheMode's may use them all. */
  private static final int MAX_NAME = 253;

  /**
   * {@code <owner>.<suffix>}, the owner shortened so the whole stays a valid object name (a
   * shortened owner may end in '-' or '.', which may not stand before the dot).
   */
  static String eventName(String owner, String suffix) {
    String prefix = owner.substring(0, Math.min(owner.length(), MAX_NAME - suffix.length() - 1));
    return prefix.replaceAll("[-.]+$", "") + "." + suffix;
  }

  private Event event(CacheMode cm, String type, String reason, String message) {
    String now = clock.instant().toString();
    var meta = cm.getMetadata();
    return new EventBuilder()
        .withNewMetadata()
        .withName(eventName(meta.getName(), UUID.randomUUID().toString().substring(0, 8)))
        .withNamespace(meta.getNamespace())
        .endMetadata()
        .withInvolvedObject(
            new ObjectReferenceBuilder()
                .withApiVersion(cm.getApiVersion())
                .withKind(cm.getKind())
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .build())
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .build();
  }

  private void send(Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "could not record event {} {}: {}", event.getType(), event.getReason(), e.getMessage());
    }
  }
}
