package io.cachemode.operator.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name into addresses; tests pass a stub so that no query leaves the machine. */
@FunctionalInterface
public interface Resolver {
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The JVM's resolver (the pod's /etc/resolv.conf, with the cluster's search domains). */
  static Resolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
