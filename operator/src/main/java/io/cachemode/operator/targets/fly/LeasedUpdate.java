package io.cachemode.operator.targets.fly;

import io.cachemode.operator.targets.TargetException;
import java.time.Duration;
import java.time.Instant;

/**
 * One machine update the way flyctl makes it ({@code internal/machine/lease.go}): take the
 * machine's lease, work on the machine as of that lease, send the update with the lease nonce, and
 * release the lease. A lease someone else holds is waited for, never taken over; a conflict on
 * {@code current_version} means the machine changed under the operator (a concurrent deploy), so it
 * is read again and left as the other writer made it until the next look.
 *
 * <p>Never throws for what Fly answers about one machine: the outcome is returned, so the rest of
 * the reconcile (and the write receipt it must record) is not lost to one machine's trouble.
 */
final class LeasedUpdate {
  /**
   * Seconds the lease is asked for. An update is three or four requests; the lease outlives a crash
   * of the operator by at most this long (flyctl asks for 120 s while it waits on health checks,
   * which the operator does not do under a lease).
   */
  static final int LEASE_TTL_SECONDS = 60;

  /** What came of one attempt. */
  sealed interface Outcome {
    /** The update was accepted; {@code machine} is the machine as the update returned it. */
    record Sent(FlyMachine machine) implements Outcome {}

    /** The machine already carries the change (another replica got there first). */
    record AlreadyDone(FlyMachine machine) implements Outcome {}

    /** Not updated this time; {@code note} says why, for the machine's status. */
    record NotSent(String note, Duration retryAfter) implements Outcome {}
  }

  private final FlyApi api;

  LeasedUpdate(FlyApi api) {
    this.api = api;
  }

  Outcome update(FlyMachine listed, Change change, Instant now) {
    Lease lease;
    try {
      lease = api.acquireLease(listed.id(), LEASE_TTL_SECONDS, "cachemode-operator: flag update");
    } catch (FlyApiException e) {
      if (e.httpStatus() == 409) {
        return new Outcome.NotSent(
            "waiting for the machine's lease: "
                + e.said()
                + "; retried on the next look, never taken over",
            null);
      }
      return notSent("taking the lease failed", e);
    } catch (TargetException e) {
      return notSent("taking the lease failed", e);
    }
    try {
      return updateUnderLease(listed, lease, change, now);
    } finally {
      release(listed.id(), lease.nonce());
    }
  }

  private Outcome updateUnderLease(FlyMachine listed, Lease lease, Change change, Instant now) {
    FlyMachine current;
    try {
      // flyctl re-reads the machine unless the lease was taken on the version already in hand.
      current =
          listed.instanceId() != null && listed.instanceId().equals(lease.version())
              ? listed
              : api.machine(listed.id());
    } catch (TargetException e) {
      return notSent("reading the machine under its lease failed", e);
    }
    if (MachineRules.carries(current, change)) {
      return new Outcome.AlreadyDone(current);
    }
    if (current.notUpdatable().isPresent()) {
      return new Outcome.NotSent("not updated: " + current.notUpdatable().get(), null);
    }
    try {
      return new Outcome.Sent(
          api.updateMachine(
              current.id(), MachineRules.updateInput(current, change, now), lease.nonce()));
    } catch (FlyApiException e) {
      if (e.conflict()) {
        return conflict(current, e);
      }
      return notSent("the update was refused", e);
    } catch (TargetException e) {
      return notSent("the update failed", e);
    }
  }

  /** A 409/412 on update: read the machine again and say whether someone else changed it. */
  private Outcome conflict(FlyMachine sent, FlyApiException e) {
    FlyMachine now;
    try {
      now = api.machine(sent.id());
    } catch (TargetException reread) {
      return notSent("the update met a conflict, and reading the machine again failed", e);
    }
    if (now.instanceId() != null && !now.instanceId().equals(sent.instanceId())) {
      return new Outcome.NotSent(
          "changed by someone else while the operator was updating it (instance "
              + sent.instanceId()
              + " -> "
              + now.instanceId()
              + imageChange(sent, now)
              + "); not overwritten: the next look updates it from its new config",
          null);
    }
    return notSent("the update met a conflict", e);
  }

  private static String imageChange(FlyMachine before, FlyMachine after) {
    if (before.imageRef().isEmpty()
        || after.imageRef().isEmpty()
        || before.imageRef().equals(after.imageRef())) {
      return "";
    }
    return ", image " + before.imageRef().get() + " -> " + after.imageRef().get();
  }

  private void release(String id, String nonce) {
    if (nonce == null) {
      return;
    }
    try {
      api.releaseLease(id, nonce);
    } catch (TargetException e) {
      // The lease expires by its ttl; flyctl also carries on when releasing fails.
    }
  }

  private static Outcome notSent(String what, TargetException e) {
    return new Outcome.NotSent(
        what + " (" + e.getMessage() + "); retried on the next look", e.retryAfter().orElse(null));
  }
}
