package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.api.CacheMode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The event sources of one workload kind: one for every watched namespace, or a single one, and the
 * lookup that finds a workload in the right one.
 *
 * @param byNamespace the sources by namespace; empty when {@code single} serves every namespace
 * @param single the one source, or null
 */
record WorkloadSources<W extends HasMetadata>(
    Map<String, InformerEventSource<W, CacheMode>> byNamespace,
    InformerEventSource<W, CacheMode> single) {

  static <W extends HasMetadata> WorkloadSources<W> single(InformerEventSource<W, CacheMode> s) {
    return new WorkloadSources<>(Map.of(), s);
  }

  static <W extends HasMetadata> WorkloadSources<W> perNamespace(
      Map<String, InformerEventSource<W, CacheMode>> byNamespace) {
    return new WorkloadSources<>(Map.copyOf(byNamespace), null);
  }

  Collection<InformerEventSource<W, CacheMode>> sources() {
    return single != null ? List.of(single) : byNamespace.values();
  }

  Optional<W> get(ResourceID id) {
    if (single != null) {
      return single.get(id);
    }
    var source = id.getNamespace().map(byNamespace::get);
    return source.flatMap(s -> s.get(id));
  }
}
