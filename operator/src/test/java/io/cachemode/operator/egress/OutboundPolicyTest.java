package io.cachemode.operator.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy's decisions, on names and literal addresses only: nothing here resolves or connects.
 */
class OutboundPolicyTest {

  private static final OutboundPolicy DEFAULTS = OutboundPolicy.of(Map.of(), false);

  private static OutboundPolicy allowing(Purpose purpose, String list, boolean inCluster) {
    return OutboundPolicy.of(Map.of(purpose, list), inCluster);
  }

  private static InetAddress ip(String literal) {
    return IpLiterals.parse(literal).orElseThrow();
  }

  @Test
  void defaultsAllowClusterServicesForChecksAndOnlyTheDocumentedProviderHostsForCredentials() {
    for (String host : new String[] {"atom-saas.atom.svc", "ATOM-SAAS.atom.svc.cluster.local."}) {
      assertThat(DEFAULTS.checkName(Purpose.HealthCheck, host)).isEmpty();
      assertThat(DEFAULTS.checkName(Purpose.Metrics, host)).isEmpty();
      assertThat(DEFAULTS.checkName(Purpose.Redis, host)).isEmpty();
    }
    assertThat(DEFAULTS.checkName(Purpose.ProviderApi, "api.upstash.com")).isEmpty();
    assertThat(DEFAULTS.checkName(Purpose.ProviderApi, "api.machines.dev")).isEmpty();
    assertThat(DEFAULTS.checkName(Purpose.Redis, "us1-merry-macaque-31458.upstash.io")).isEmpty();

    Refusal credentials =
        DEFAULTS.checkName(Purpose.ProviderApi, "collector.atom.svc").orElseThrow();
    assertThat(credentials.alwaysRefused()).isFalse();
    assertThat(credentials.message())
        .isEqualTo(
            "DestinationNotAllowed: provider API to collector.atom.svc refused: not in the allowed"
                + " destinations (EGRESS_PROVIDER_API=api.upstash.com,api.machines.dev)");
    assertThat(DEFAULTS.checkName(Purpose.HealthCheck, "example.com")).isPresent();
    assertThat(DEFAULTS.checkName(Purpose.ProviderApi, "api.upstash.com.evil.example")).isPresent();
  }

  @ParameterizedTest
  @CsvSource({
    "*.svc, app.ns.svc, true",
    "*.svc, a.b.c.svc, true",
    "*.svc, svc, false",
    "*.svc, app.ns.svc.evil.example, false",
    "*.svc, appsvc, false",
    "*.svc.cluster.local, app.ns.svc.cluster.local, true",
    "api.upstash.com, api.upstash.com, true",
    "api.upstash.com, API.Upstash.COM., true",
    "api.upstash.com, x.api.upstash.com, false",
  })
  void hostPatternsMatchWholeLabels(String pattern, String host, boolean matches) {
    assertThat(HostPattern.parse(pattern).matches(HostPattern.normalize(host))).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.4.0/22, 192.168.7.255, true",
    "192.168.4.0/22, 192.168.8.0, false",
    "10.96.0.10, 10.96.0.10, true",
    "10.96.0.10, 10.96.0.11, false",
    "fd00::/8, fd12:3456::1, true",
    "fd00::/8, fe00::1, false",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "0.0.0.0/0, ::1, false",
    "::/0, 10.0.0.1, false",
  })
  void cidrsContainTheirAddressesAndNoOtherFamily(String cidr, String address, boolean contains) {
    assertThat(Cidr.parse(cidr).contains(ip(address))).isEqualTo(contains);
  }

  @Test
  void aListedCidrAllowsAnIpLiteralAndAResolvedAddressButHostPatternsNeverMatchLiterals() {
    OutboundPolicy policy = allowing(Purpose.Metrics, "10.0.0.0/8,*.1", false);
    assertThat(policy.checkName(Purpose.Metrics, "10.1.2.3")).isEmpty();
    assertThat(policy.checkAddress(Purpose.Metrics, "prom.example", ip("10.1.2.3"))).isEmpty();
    assertThat(policy.checkName(Purpose.Metrics, "192.168.0.1"))
        .get()
        .satisfies(r -> assertThat(r.address()).contains("192.168.0.1"));
    // With a CIDR listed, a name is only judged once resolved.
    assertThat(policy.checkName(Purpose.Metrics, "prom.example")).isEmpty();
    assertThat(policy.checkAddress(Purpose.Metrics, "prom.example", ip("192.168.0.1"))).isPresent();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "169.254.169.254 | link-local (cloud instance metadata) 169.254.0.0/16",
        "169.254.170.2   | link-local (cloud instance metadata) 169.254.0.0/16",
        "fe80::1         | link-local fe80::/10",
        "::ffff:169.254.169.254 | link-local (cloud instance metadata) 169.254.0.0/16",
        "::a9fe:a9fe     | link-local (cloud instance metadata) 169.254.0.0/16",
        "64:ff9b::a9fe:a9fe | link-local (cloud instance metadata) 169.254.0.0/16",
        "fd00:ec2::254   | AWS instance metadata (IPv6) fd00:ec2::254/128",
        "fd20:ce::254    | GCP instance metadata (IPv6) fd20:ce::254/128",
        "100.100.100.200 | Alibaba Cloud instance metadata 100.100.100.200/32",
        "168.63.129.16   | Azure WireServer 168.63.129.16/32",
        "0.0.0.0         | unspecified address 0.0.0.0/8",
        "::              | unspecified address ::/128",
      })
  void metadataLinkLocalAndUnspecifiedAddressesAreRefusedWhateverThePolicy(
      String address, String rule) {
    OutboundPolicy everything = allowing(Purpose.HealthCheck, "0.0.0.0/0,::/0,*.example", false);
    Refusal literal = everything.checkName(Purpose.HealthCheck, address).orElseThrow();
    assertThat(literal.alwaysRefused()).isTrue();
    assertThat(literal.rule()).isEqualTo(rule);
    Refusal resolved =
        everything.checkAddress(Purpose.HealthCheck, "app.example", ip(address)).orElseThrow();
    assertThat(resolved.message())
        .startsWith("DestinationNotAllowed: health check to app.example (")
        .endsWith("refused: " + rule + " (always refused)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"metadata.google.internal", "Metadata.Google.Internal.", "metadata"})
  void metadataNamesAreRefusedBeforeAnyLookup(String host) {
    OutboundPolicy everything = allowing(Purpose.HealthCheck, "*.internal,metadata.example", false);
    Refusal r = everything.checkName(Purpose.HealthCheck, host).orElseThrow();
    assertThat(r.alwaysRefused()).isTrue();
    assertThat(r.address()).isEmpty();
    assertThat(r.rule()).isEqualTo("cloud instance metadata name");
  }

  @Test
  void loopbackIsRefusedInAClusterAndOnlyThere() {
    String everything = "0.0.0.0/0,::/0,*.localhost,localhost";
    OutboundPolicy outside = allowing(Purpose.Redis, everything.replace(",*.localhost", ""), false);
    OutboundPolicy inCluster = allowing(Purpose.Redis, "0.0.0.0/0,::/0", true);
    assertThat(outside.checkName(Purpose.Redis, "127.0.0.1")).isEmpty();
    assertThat(outside.checkName(Purpose.Redis, "::1")).isEmpty();
    assertThat(outside.checkName(Purpose.Redis, "localhost")).isEmpty();
    for (String host :
        new String[] {"127.0.0.1", "127.8.9.10", "::1", "localhost", "x.localhost"}) {
      Refusal r = inCluster.checkName(Purpose.Redis, host).orElseThrow();
      assertThat(r.alwaysRefused()).as(host).isTrue();
      assertThat(r.rule()).contains("loopback");
    }
    assertThat(inCluster.checkAddress(Purpose.Redis, "redis.ns.svc", ip("127.0.0.1"))).isPresent();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "foo_bar!         | EGRESS_HEALTH_CHECK: foo_bar! is not a host name or a pattern such as *.svc.cluster.local",
        "a.*.svc          | EGRESS_HEALTH_CHECK: a.*.svc is not a host name or a pattern such as *.svc.cluster.local",
        "*                | EGRESS_HEALTH_CHECK: * is not a host name or a pattern such as *.svc.cluster.local",
        "10.0.0.1/8       | EGRESS_HEALTH_CHECK: 10.0.0.1/8 has address bits set after the prefix;"
            + " did you mean 10.0.0.0/8?",
        "10.0.0.0/33      | EGRESS_HEALTH_CHECK: 10.0.0.0/33: the prefix length must be between 0"
            + " and 32",
        "10.0.0.0/x       | EGRESS_HEALTH_CHECK: 10.0.0.0/x has no prefix length after the /",
        "300.1.1.1/32     | EGRESS_HEALTH_CHECK: 300.1.1.1/32 is not an IP address or CIDR range",
        "169.254.0.0/16   | EGRESS_HEALTH_CHECK: 169.254.0.0/16 is always refused (link-local"
            + " (cloud instance metadata) 169.254.0.0/16)",
        "169.254.169.254  | EGRESS_HEALTH_CHECK: 169.254.169.254 is always refused (link-local"
            + " (cloud instance metadata) 169.254.0.0/16)",
        "fe80::/64        | EGRESS_HEALTH_CHECK: fe80::/64 is always refused (link-local fe80::/10)",
        "http://app.ns.svc | EGRESS_HEALTH_CHECK: http://app.ns.svc is a URL; list its host name"
            + " only (e.g. api.upstash.com)",
        "metadata.google.internal | EGRESS_HEALTH_CHECK: metadata.google.internal is always"
            + " refused (cloud instance metadata name)",
      })
  void badEntriesStopTheStartWithTheVariableAndTheEntry(String entry, String message) {
    assertThatThrownBy(() -> allowing(Purpose.HealthCheck, "*.svc," + entry, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void listingLoopbackInAClusterStopsTheStart() {
    assertThatThrownBy(() -> allowing(Purpose.Redis, "127.0.0.0/8", true))
        .hasMessage(
            "EGRESS_REDIS: 127.0.0.0/8 is always refused (loopback in a cluster 127.0.0.0/8)");
    assertThatThrownBy(() -> allowing(Purpose.Redis, "localhost", true))
        .hasMessage("EGRESS_REDIS: localhost is always refused (loopback name in a cluster)");
    assertThat(allowing(Purpose.Redis, "127.0.0.0/8,localhost", false).inCluster()).isFalse();
  }

  @Test
  void environmentSetsEachPurposeAndDetectsTheCluster() {
    OutboundPolicy p =
        OutboundPolicy.fromEnvironment(
            Map.of(
                "EGRESS_HEALTH_CHECK", " *.internal.example , 10.0.0.0/8 ",
                "EGRESS_METRICS", "",
                "KUBERNETES_SERVICE_HOST", "10.96.0.1"));
    assertThat(p.inCluster()).isTrue();
    assertThat(p.checkName(Purpose.HealthCheck, "app.internal.example")).isEmpty();
    assertThat(p.checkName(Purpose.HealthCheck, "app.ns.svc")).isEmpty(); // a CIDR is listed
    assertThat(p.checkAddress(Purpose.HealthCheck, "app.ns.svc", ip("10.1.1.1"))).isEmpty();
    assertThat(p.checkName(Purpose.Metrics, "prometheus.monitoring.svc"))
        .get()
        .extracting(Refusal::rule)
        .isEqualTo("not in the allowed destinations (EGRESS_METRICS=<nothing>)");
    assertThat(p.checkName(Purpose.ProviderApi, "api.upstash.com")).isEmpty();
    assertThat(p.describe())
        .contains("EGRESS_HEALTH_CHECK=*.internal.example,10.0.0.0/8")
        .contains("EGRESS_IN_CLUSTER=true");

    assertThat(OutboundPolicy.fromEnvironment(Map.of()).inCluster()).isFalse();
    assertThat(
            OutboundPolicy.fromEnvironment(
                    Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "EGRESS_IN_CLUSTER", "false"))
                .inCluster())
        .isFalse();
    assertThat(OutboundPolicy.fromEnvironment(Map.of("EGRESS_IN_CLUSTER", "true")).inCluster())
        .isTrue();
    assertThatThrownBy(() -> OutboundPolicy.fromEnvironment(Map.of("EGRESS_IN_CLUSTER", "yes")))
        .hasMessage("EGRESS_IN_CLUSTER must be auto, true or false, got yes");
  }

  @Test
  void ipLiteralsNeverResolve() {
    assertThat(IpLiterals.parse("010.0.0.1")).isEmpty();
    assertThat(IpLiterals.parse("2130706433")).isEmpty();
    assertThat(IpLiterals.parse("0x7f.0.0.1")).isEmpty();
    assertThat(IpLiterals.parse("example.com")).isEmpty();
    assertThat(IpLiterals.parse("fe80::zz")).isEmpty();
    assertThat(IpLiterals.parse("[::1]"))
        .map(InetAddress::getHostAddress)
        .contains("0:0:0:0:0:0:0:1");
    assertThat(IpLiterals.parse("10.0.0.1")).isEqualTo(Optional.of(ip("10.0.0.1")));
  }
}
