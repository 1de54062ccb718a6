package io.cachemode.operator.verify;

import io.cachemode.operator.api.WorkloadReference;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where {@link LogChecks} finds the pods a restart created and reads their logs. The Kubernetes
 * implementation asks the API server ({@code pods} list, {@code pods/log} get); answers are values,
 * never exceptions, for the failures a cluster can produce.
 */
public interface PodLogs {

  /**
   * The running pods of the workload's current revision: for a Deployment the pods of its current
   * ReplicaSet, for a StatefulSet those of its update revision. Terminating pods are left out.
   */
  Listing currentPods(String namespace, WorkloadReference workload);

  /**
   * At most {@code maxBytes} of a container's log from {@code since} on, every line prefixed with
   * its RFC 3339 timestamp and a space (as {@code pods/log?timestamps=true} serves it).
   */
  Read read(String namespace, String pod, String container, Instant since, int maxBytes);

  /** Why pods or logs could not be had. */
  enum FailureKind {
    /** The operator may not list pods or read their logs (HTTP 403). */
    Unauthorized,
    /** The API server (or, behind it, the node) could not be reached or failed. */
    Unreachable,
    /** The workload or pod does not exist (any more). */
    NotFound,
    /** The pod exists but its container serves no log (yet), e.g. still waiting to start. */
    NoLogs,
    /** The target cannot serve logs at all (Fly Machines). */
    Unsupported
  }

  /**
   * @param message readable in status: names objects, never carries a log line
   */
  record Failure(FailureKind kind, String message) {
    public Failure {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  sealed interface Listing permits Pods, ListingFailed {}

  /**
   * @param revision the ReplicaSet's pod-template-hash or the StatefulSet's update revision
   */
  record Pods(String revision, List<Pod> pods) implements Listing {
    public Pods {
      pods = List.copyOf(pods);
    }
  }

  record ListingFailed(Failure failure) implements Listing {}

  /**
   * @param defaultContainer the container read when a check names none: the pod's {@code
   *     kubectl.kubernetes.io/default-container}, else its first container
   */
  record Pod(String name, List<Container> containers, String defaultContainer) {
    public Pod {
      containers = List.copyOf(containers);
    }
  }

  /**
   * @param startedAt when the running (or last terminated) instance started; null when it has not
   */
  record Container(String name, Instant startedAt) {}

  sealed interface Read permits Text, ReadFailed {}

  /**
   * @param truncated {@code maxBytes} were reached, so the log goes on beyond {@code text}
   */
  record Text(String text, boolean truncated) implements Read {}

  record ReadFailed(Failure failure) implements Read {}

  /** For targets without pods (Fly): every answer is {@link FailureKind#Unsupported}. */
  static PodLogs unsupported(String why) {
    Failure failure = new Failure(FailureKind.Unsupported, why);
    return new PodLogs() {
      @Override
      public Listing currentPods(String namespace, WorkloadReference workload) {
        return new ListingFailed(failure);
      }

      @Override
      public Read read(String namespace, String pod, String container, Instant since, int max) {
        return new ReadFailed(failure);
      }
    };
  }
}
