package io.cachemode.operator.testing;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a test class against the {@link LocalControlPlane}: makes sure it is up, applies every CRD
 * in {@code crds/*.yml} (once per JVM, waiting until Established), and creates a fresh namespace
 * for the class (deleted after it). Test constructors and methods can declare parameters of type
 * {@link KubernetesClient} (one admin client per class, closed by the extension: do not close it)
 * and {@link TestNamespace}.
 *
 * <pre>{@code
 * @ExtendWith(ControlPlaneExtension.class)
 * class MyTest {
 *   @Test
 *   void works(KubernetesClient client, TestNamespace ns) { ... }
 * }
 * }</pre>
 *
 * Nested classes share the namespace of their enclosing class.
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(ControlPlaneExtension.class);
  private static final long WAIT_SECONDS = 60;
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public void beforeAll(ExtensionContext context) {
    classFixture(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubernetesClient.class || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    ClassFixture fixture = classFixture(context);
    return parameter.getParameter().getType() == KubernetesClient.class
        ? fixture.client
        : fixture.namespace;
  }

  /**
   * The fixture of the nearest enclosing test class, created on first use (also from constructor
   * injection).
   */
  private static ClassFixture classFixture(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    ExtensionContext root = context.getRoot();
    Cluster cluster =
        root.getStore(STORE).getOrComputeIfAbsent(Cluster.class, k -> new Cluster(), Cluster.class);
    String prefix = classContext.getRequiredTestClass().getSimpleName();
    return classContext
        .getStore(STORE)
        .getOrComputeIfAbsent(
            ClassFixture.class, k -> new ClassFixture(cluster.plane, prefix), ClassFixture.class);
  }

  /**
   * Root-store value: the control plane for the whole run, with the CRDs applied; stops it when the
   * run ends.
   */
  private static final class Cluster implements AutoCloseable {
    final LocalControlPlane plane = LocalControlPlane.get();

    Cluster() {
      try (KubernetesClient client = plane.newClient()) {
        applyCrds(client, plane.repoRoot().resolve("crds"));
      }
    }

    @Override
    public void close() {
      LocalControlPlane.shutdown();
    }
  }

  /**
   * Class-store value: a client and a fresh namespace; the namespace is deleted and the client
   * closed afterwards.
   */
  private static final class ClassFixture implements AutoCloseable {
    final KubernetesClient client;
    final TestNamespace namespace;

    ClassFixture(LocalControlPlane plane, String prefix) {
      client = plane.newClient();
      namespace = new TestNamespace(namespaceName(prefix));
      client
          .namespaces()
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(namespace.name())
                  .addToLabels("cachemode.io/test", "true")
                  .endMetadata()
                  .build())
          .create();
      // Pods are only admitted once the namespace's default ServiceAccount exists.
      client
          .serviceAccounts()
          .inNamespace(namespace.name())
          .withName("default")
          .waitUntilCondition(Objects::nonNull, WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      try {
        client.namespaces().withName(namespace.name()).delete();
      } finally {
        client.close();
      }
    }
  }

  static void applyCrds(KubernetesClient client, Path crdDir) {
    List<Path> files;
    try (Stream<Path> list = Files.list(crdDir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + crdDir, e);
    }
    if (files.isEmpty()) {
      throw new IllegalStateException("no CRD files (*.yml) in " + crdDir);
    }
    for (Path file : files) {
      List<HasMetadata> items;
      try (InputStream in = Files.newInputStream(file)) {
        items = client.load(in).items();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      for (HasMetadata item : items) {
        client.resource(item).fieldManager("cachemode-tests").forceConflicts().serverSideApply();
        if (item instanceof CustomResourceDefinition crd) {
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(
                  ControlPlaneExtension::established, WAIT_SECONDS, TimeUnit.SECONDS);
          awaitDiscovery(client, crd);
        }
      }
    }
  }

  /**
   * Established is not enough: API discovery (used by generic clients and kubectl) lags a little
   * behind it.
   */
  private static void awaitDiscovery(KubernetesClient client, CustomResourceDefinition crd) {
    String plural = crd.getSpec().getNames().getPlural();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      String groupVersion = crd.getSpec().getGroup() + "/" + version.getName();
      while (!served(client, groupVersion, plural)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(plural + " not in API discovery of " + groupVersion);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }

  private static boolean served(KubernetesClient client, String groupVersion, String plural) {
    APIResourceList resources = client.getApiResources(groupVersion);
    return resources != null
        && resources.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
  }

  private static boolean established(CustomResourceDefinition crd) {
    return crd != null
        && crd.getStatus() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** {@code <class name, lower case, at most 40 chars>-<6 random chars>}, a valid DNS label. */
  static String namespaceName(String prefix) {
    String base = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    base = base.replaceAll("^-+", "");
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    base = base.replaceAll("-+$", "");
    if (base.isEmpty()) {
      base = "test";
    }
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder name = new StringBuilder(base).append('-');
    for (int i = 0; i < 6; i++) {
      name.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return name.toString();
  }
}
