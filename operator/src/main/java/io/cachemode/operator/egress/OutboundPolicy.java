package io.cachemode.operator.egress;

import java.net.InetAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which destinations the operator may connect to, per {@link Purpose}: set by the operator's
 * administrator (environment, from the chart's {@code egress} values), never by a CacheMode author.
 * On top of every allow-list, {@link AlwaysRefused} destinations are refused.
 *
 * <p>Pure decisions: resolving names and connecting is {@link Outbound}'s job.
 */
public final class OutboundPolicy {

  /** Variable choosing whether loopback is refused: auto (the default), true or false. */
  public static final String IN_CLUSTER_VARIABLE = "EGRESS_IN_CLUSTER";

  /**
   * Destinations allowed when a purpose's variable is not set: the cluster's Service names, the
   * documented provider API hosts (https://api.upstash.com, upstash/docs
   * devops/developer-api/openapi.yml; https://api.machines.dev, superfly/docs
   * machines/api/working-with-machines-api.html.markerb) and Upstash Redis endpoints
   * (*.upstash.io).
   */
  public static final Map<Purpose, String> DEFAULTS =
      Map.of(
          Purpose.HealthCheck, "*.svc,*.svc.cluster.local",
          Purpose.Metrics, "*.svc,*.svc.cluster.local",
          Purpose.ProviderApi, "api.upstash.com,api.machines.dev",
          Purpose.Redis, "*.svc,*.svc.cluster.local,*.upstash.io");

  private final Map<Purpose, AllowList> allowed;
  private final AlwaysRefused alwaysRefused;

  private OutboundPolicy(Map<Purpose, AllowList> allowed, AlwaysRefused alwaysRefused) {
    this.allowed = allowed;
    this.alwaysRefused = alwaysRefused;
  }

  /**
   * A policy from allow-list texts (comma-separated host names, {@code *.suffix} patterns and CIDR
   * ranges); a purpose without an entry gets its {@link #DEFAULTS}.
   *
   * @param inCluster whether loopback is refused too
   * @throws IllegalArgumentException naming the variable and the entry that is wrong
   */
  public static OutboundPolicy of(Map<Purpose, String> allowLists, boolean inCluster) {
    AlwaysRefused refused = new AlwaysRefused(inCluster);
    Map<Purpose, AllowList> allowed = new EnumMap<>(Purpose.class);
    for (Purpose p : Purpose.values()) {
      String text = allowLists.getOrDefault(p, DEFAULTS.get(p));
      AllowList list;
      try {
        list = AllowList.parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(p.environmentVariable() + ": " + e.getMessage());
      }
      rejectAlwaysRefused(p, list, refused);
      allowed.put(p, list);
    }
    return new OutboundPolicy(Map.copyOf(allowed), refused);
  }

  /**
   * Reads {@code EGRESS_HEALTH_CHECK}, {@code EGRESS_METRICS}, {@code EGRESS_PROVIDER_API}, {@code
   * EGRESS_REDIS} (unset: the default; set but empty: nothing allowed) and {@code
   * EGRESS_IN_CLUSTER} (auto: in a cluster when {@code KUBERNETES_SERVICE_HOST} is set, as the
   * kubelet does for every pod).
   */
  public static OutboundPolicy fromEnvironment(Map<String, String> env) {
    Map<Purpose, String> lists = new EnumMap<>(Purpose.class);
    for (Purpose p : Purpose.values()) {
      if (env.containsKey(p.environmentVariable())) {
        lists.put(p, env.get(p.environmentVariable()));
      }
    }
    String mode = env.getOrDefault(IN_CLUSTER_VARIABLE, "auto").strip();
    boolean inCluster =
        switch (mode) {
          case "auto", "" -> !env.getOrDefault("KUBERNETES_SERVICE_HOST", "").isBlank();
          case "true" -> true;
          case "false" -> false;
          default ->
              throw new IllegalArgumentException(
                  IN_CLUSTER_VARIABLE + " must be auto, true or false, got " + mode);
        };
    return of(lists, inCluster);
  }

  private static void rejectAlwaysRefused(Purpose p, AllowList list, AlwaysRefused refused) {
    for (Cidr c : list.cidrs()) {
      refused
          .covering(c)
          .ifPresent(
              why -> {
                throw new IllegalArgumentException(
                    p.environmentVariable() + ": " + c + " is always refused (" + why + ")");
              });
    }
    for (HostPattern h : list.hosts()) {
      if (!h.wildcard()) {
        refused
            .name(h.suffix())
            .ifPresent(
                why -> {
                  throw new IllegalArgumentException(
                      p.environmentVariable() + ": " + h + " is always refused (" + why + ")");
                });
      }
    }
  }

  /** Whether loopback is refused (the operator runs in a cluster). */
  public boolean inCluster() {
    return alwaysRefused.refusesLoopback();
  }

  /**
   * The verdict that needs no lookup: a refused name, a refused or unlisted IP literal, or a name
   * no host pattern matches when the purpose lists no CIDR that a resolved address could fall in.
   *
   * @param host as written in the URL or Redis address
   */
  public Optional<Refusal> checkName(Purpose purpose, String host) {
    String h = HostPattern.normalize(host);
    Optional<InetAddress> literal = IpLiterals.parse(h);
    if (literal.isPresent()) {
      return checkAddress(purpose, h, literal.get());
    }
    Optional<String> refusedName = alwaysRefused.name(h);
    if (refusedName.isPresent()) {
      return Optional.of(new Refusal(purpose, h, Optional.empty(), refusedName.get(), true));
    }
    AllowList list = allowed.get(purpose);
    if (!list.matchesName(h) && list.cidrs().isEmpty()) {
      return Optional.of(new Refusal(purpose, h, Optional.empty(), notListed(purpose), false));
    }
    return Optional.empty();
  }

  /**
   * The verdict on connecting to {@code address}, which {@code host} resolved to (or which {@code
   * host} spells, for an IP literal).
   */
  public Optional<Refusal> checkAddress(Purpose purpose, String host, InetAddress address) {
    String h = HostPattern.normalize(host);
    Optional<String> shown = Optional.of(address.getHostAddress());
    Optional<String> always = alwaysRefused.address(address);
    if (always.isPresent()) {
      return Optional.of(new Refusal(purpose, h, shown, always.get(), true));
    }
    AllowList list = allowed.get(purpose);
    boolean byName = IpLiterals.parse(h).isEmpty() && list.matchesName(h);
    if (byName || list.containsAddress(address)) {
      return Optional.empty();
    }
    return Optional.of(new Refusal(purpose, h, shown, notListed(purpose), false));
  }

  private String notListed(Purpose purpose) {
    AllowList list = allowed.get(purpose);
    return "not in the allowed destinations ("
        + purpose.environmentVariable()
        + "="
        + (list.isEmpty() ? "<nothing>" : list)
        + ")";
  }

  /** One line per purpose for the start-up log. */
  public String describe() {
    return allowed.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey().environmentVariable() + "=" + e.getValue())
            .collect(Collectors.joining(" "))
        + " "
        + IN_CLUSTER_VARIABLE
        + "="
        + inCluster();
  }
}
