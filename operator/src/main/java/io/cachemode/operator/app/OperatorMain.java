package io.cachemode.operator.app;

import io.cachemode.operator.audit.EventRecorder;
import io.cachemode.operator.audit.OperatorMetrics;
import io.cachemode.operator.cache.ScannedIndexes;
import io.cachemode.operator.egress.Outbound;
import io.cachemode.operator.egress.Purpose;
import io.cachemode.operator.egress.Resolver;
import io.cachemode.operator.logging.ConsoleLogging;
import io.cachemode.operator.reconcile.CacheModeReconciler;
import io.cachemode.operator.reconcile.CacheModeStore;
import io.cachemode.operator.targets.TargetFactory;
import io.cachemode.operator.targets.kubernetes.KubernetesPodLogs;
import io.cachemode.operator.verify.VerificationService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the operator: settings from the environment, metrics and probes, optional leader election.
 */
public final class OperatorMain {
  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    OperatorSettings settings;
    try {
      settings = OperatorSettings.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("cachemode-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    ConsoleLogging.install(settings.logFormat(), settings.logLevel());
    Logger log = LoggerFactory.getLogger(OperatorMain.class);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);

    KubernetesClient client = ClientConfig.client();
    Operator operator = start(settings, client, registry, Clock.systemUTC());
    HttpEndpoints http =
        new HttpEndpoints(
            settings.httpPort(),
            registry,
            () -> true,
            () ->
                operator.getRuntimeInfo().isStarted()
                    && operator.getRuntimeInfo().allEventSourcesAreHealthy());
    log.info(
        "cachemode-operator started: namespaces={}, leaderElection={}, http port {}",
        settings.watchNamespaces().isEmpty() ? "all" : settings.watchNamespaces(),
        settings.leaderElection(),
        http.port());
    log.info("outbound policy: {}", settings.outbound().describe());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  STOPPING.set(true);
                  operator.stop();
                  if (settings.leaderElection()) {
                    LeaseRelease.release(
                        client,
                        settings.operatorNamespace().orElseThrow(),
                        settings.leaseName(),
                        settings.identity(),
                        Clock.systemUTC());
                  }
                  http.close();
                }));
  }

  /** Set by the shutdown hook: losing the Lease because we are stopping is not a failure. */
  private static final AtomicBoolean STOPPING = new AtomicBoolean();

  /**
   * JOSDK's own exit on a lost Lease calls System.exit from the elector's thread; during a SIGTERM
   * that blocks on the lock the shutdown already holds while the hook waits for the elector, so the
   * process never exits and the Lease is never released (seen in bench/, thread dump in
   * bench/results). Here a lost Lease exits from a thread of its own, and not at all while the
   * process is already stopping.
   */
  static LeaderElectionConfiguration leaderElection(OperatorSettings settings) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(settings.leaseName())
        .withLeaseNamespace(settings.operatorNamespace().orElseThrow())
        .withIdentity(settings.identity())
        .withLeaseDuration(settings.lease().leaseDuration())
        .withRenewDeadline(settings.lease().renewDeadline())
        .withRetryPeriod(settings.lease().retryPeriod())
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(
            new LeaderCallbacks(
                () -> {},
                () -> {
                  if (!STOPPING.get()) {
                    LoggerFactory.getLogger(OperatorMain.class)
                        .error("lost the Lease; exiting so a standby can take over");
                    new Thread(() -> System.exit(1), "lease-lost-exit").start();
                  }
                },
                leader -> {}))
        .build();
  }

  /**
   * Builds, registers and starts the operator; separate from {@link #main} so tests can run it
   * in-process.
   */
  public static Operator start(
      OperatorSettings settings,
      KubernetesClient client,
      PrometheusMeterRegistry registry,
      Clock clock) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                  .withCloseClientOnStop(false)
                  .withConcurrentReconciliationThreads(settings.reconcileThreads());
              if (settings.leaderElection()) {
                o.withLeaderElectionConfiguration(leaderElection(settings));
              }
            });
    // One connection pool and dispatcher for every outside system; each purpose (health checks,
    // metrics, provider APIs) gets its own policy-checked client over them.
    Outbound outbound = new Outbound(settings.outbound(), Resolver.system(), new OkHttpClient());
    OperatorMetrics metrics = new OperatorMetrics(registry);
    // JOSDK shares a controller's store between its namespaces' informers, which one
    // CacheModeStore must not be: with several namespaces the CacheModes stay whole, and lookups
    // scan them.
    CacheModeStore store = new CacheModeStore();
    boolean ownStore = settings.watchNamespaces().size() <= 1;
    CacheModeReconciler reconciler =
        new CacheModeReconciler(
            clock,
            new TargetFactory(client, outbound.http(Purpose.ProviderApi)),
            new VerificationService(client, outbound, clock, new KubernetesPodLogs(client)),
            settings.verificationThreads(),
            new EventRecorder(client, clock, metrics),
            metrics,
            ownStore ? cache -> store : ScannedIndexes::new);
    operator.register(
        reconciler,
        c -> {
          c.withRetry(ReconcileRetry.policy());
          if (!settings.watchNamespaces().isEmpty()) {
            c.settingNamespaces(settings.watchNamespaces());
          }
          if (ownStore) {
            c.withItemStore(store);
          }
        });
    operator.start();
    return operator;
  }
}
