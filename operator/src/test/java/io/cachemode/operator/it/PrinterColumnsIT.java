package io.cachemode.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cachemode.operator.api.CacheMode;
import io.cachemode.operator.api.CacheModeStatus;
import io.cachemode.operator.api.CheckResult;
import io.cachemode.operator.api.Phase;
import io.cachemode.operator.api.RateSample;
import io.cachemode.operator.api.RequestsStatus;
import io.cachemode.operator.testing.ControlPlaneExtension;
import io.cachemode.operator.testing.LocalControlPlane;
import io.cachemode.operator.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The committed CRD, applied to the real API server, makes {@code kubectl get cmode} show the
 * columns in the order issue 8 asks for, each filled from its own status field.
 */
@ExtendWith(ControlPlaneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrinterColumnsIT {
  private static final String NAME = "columns";
  private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

  private final KubernetesClient client;
  private final TestNamespace ns;

  PrinterColumnsIT(KubernetesClient client, TestNamespace ns) {
    this.client = client;
    this.ns = ns;
  }

  /** A CacheMode whose status has a distinct value for every column (no operator runs here). */
  @BeforeAll
  void createCacheMode() {
    CacheMode cm = new Fixtures(client, ns.name()).cacheMode(NAME, true, "app-env", "app");
    CacheModeStatus status = new CacheModeStatus();
    status.setPhase(Phase.Suspended);
    status.setHealth(CheckResult.Passed);
    status.setConditions(List.of(condition("Verified", "Unknown"), condition("Ready", "False")));
    RequestsStatus requests = new RequestsStatus();
    requests.setBefore(rate(1527.8));
    requests.setAfter(rate(3.5));
    status.setRequests(requests);
    cm.setStatus(status);
    client.resource(cm).updateStatus();
  }

  @Test
  void tableColumnsAndCellsFollowTheDeclaredOrder() throws Exception {
    JsonNode table = table();

    List<String> columns = new ArrayList<>();
    List<Integer> priorities = new ArrayList<>();
    for (JsonNode c : table.get("columnDefinitions")) {
      columns.add(c.get("name").asText());
      priorities.add(c.get("priority").asInt());
    }
    assertThat(columns)
        .containsExactly(
            "Name",
            "Suspend",
            "Phase",
            "Verified",
            "GET/min Before",
            "GET/min After",
            "Age",
            "Ready",
            "Health");
    assertThat(priorities).containsExactly(0, 0, 0, 0, 0, 0, 0, 1, 1);

    assertThat(table.get("rows")).hasSize(1);
    JsonNode cells = table.get("rows").get(0).get("cells");
    assertThat(cells.get(0).asText()).isEqualTo(NAME);
    assertThat(cells.get(1).asBoolean()).isTrue();
    assertThat(cells.get(2).asText()).isEqualTo("Suspended");
    assertThat(cells.get(3).asText()).isEqualTo("Unknown");
    assertThat(cells.get(4).asDouble()).isEqualTo(1527.8);
    assertThat(cells.get(5).asDouble()).isEqualTo(3.5);
    assertThat(cells.get(6).asText()).matches("\\d+s");
    assertThat(cells.get(7).asText()).isEqualTo("False");
    assertThat(cells.get(8).asText()).isEqualTo("Passed");
  }

  @Test
  void kubectlHeadersAreInTheIssueOrderAndWideAddsReadyAndHealth() throws Exception {
    assertThat(kubectlHeaders())
        .containsExactly(
            "NAME", "SUSPEND", "PHASE", "VERIFIED", "GET/MIN BEFORE", "GET/MIN AFTER", "AGE");
    assertThat(kubectlHeaders("-o", "wide"))
        .containsExactly(
            "NAME",
            "SUSPEND",
            "PHASE",
            "VERIFIED",
            "GET/MIN BEFORE",
            "GET/MIN AFTER",
            "AGE",
            "READY",
            "HEALTH");
  }

  /** What kubectl itself receives: the server-side Table of the CacheMode list. */
  private JsonNode table() throws Exception {
    HttpClient http = client.getHttpClient();
    URI uri =
        URI.create(client.getMasterUrl().toString())
            .resolve("/apis/cachemode.io/v1alpha1/namespaces/" + ns.name() + "/cachemodes");
    HttpRequest request = http.newHttpRequestBuilder().uri(uri).header("Accept", TABLE).build();
    HttpResponse<String> response = http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).as(response.body()).isEqualTo(200);
    JsonNode table = new ObjectMapper().readTree(response.body());
    assertThat(table.get("kind").asText()).isEqualTo("Table");
    return table;
  }

  /** The header line of {@code kubectl get cmode}, split into its column titles. */
  private List<String> kubectlHeaders(String... extra) throws Exception {
    LocalControlPlane plane = LocalControlPlane.get();
    List<String> command = new ArrayList<>();
    command.add(plane.binDir().resolve("kubectl").toString());
    command.addAll(
        List.of(
            "--kubeconfig", plane.kubeconfigPath().toString(), "get", "cmode", "-n", ns.name()));
    command.addAll(List.of(extra));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s%n%s", command, out).isZero();
    String header = out.lines().findFirst().orElseThrow();
    return List.of(header.trim().split(" {2,}"));
  }

  private static Condition condition(String type, String status) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason("Test")
        .withMessage("set by the test")
        .withLastTransitionTime("2026-01-01T00:00:00Z")
        .build();
  }

  private static RateSample rate(double perMinute) {
    RateSample sample = new RateSample();
    sample.setPerMinute(perMinute);
    return sample;
  }
}
