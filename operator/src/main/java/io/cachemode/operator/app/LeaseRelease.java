package io.cachemode.operator.app;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the Lease up on an orderly shutdown, as client-go's {@code ReleaseOnCancel} does: JOSDK
 * 5.2.3 builds its elector with release-on-cancel off, so without this a standby waits out the
 * whole lease after every rolling update.
 */
final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  /**
   * Empties the holder and shortens the lease to one second if {@code identity} still holds it; the
   * update carries the resourceVersion read, so a Lease someone else took meanwhile is left alone
   * (409).
   */
  static boolean release(
      KubernetesClient client, String namespace, String name, String identity, Clock clock) {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null
          || lease.getSpec() == null
          || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(clock);
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(now);
      lease.getSpec().setAcquireTime(now);
      client.leases().inNamespace(namespace).resource(lease).update();
      LOG.info("released the Lease {}/{}", namespace, name);
      return true;
    } catch (KubernetesClientException e) {
      // Shutting down either way; the standby then waits out the lease as it would have.
      LOG.warn("could not release the Lease {}/{}: {}", namespace, name, e.getMessage());
      return false;
    }
  }
}
