package io.cachemode.operator.targets.kubernetes;

import io.cachemode.operator.targets.FlagUse;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** How a pod template reads one key of a Secret: the pure rules behind {@code flagUse()}. */
final class FlagUses {
  private FlagUses() {}

  /**
   * Every way {@code pod} reads {@code secret}'s {@code key}, or {@link FlagUse#NOT_REFERENCED}.
   */
  static String of(PodSpec pod, String secret, String key) {
    List<String> uses = new ArrayList<>();
    List<Container> containers =
        Stream.concat(list(pod.getInitContainers()).stream(), list(pod.getContainers()).stream())
            .toList();
    for (Container c : containers) {
      for (EnvFromSource from : list(c.getEnvFrom())) {
        if (from.getSecretRef() != null && secret.equals(from.getSecretRef().getName())) {
          uses.add(FlagUse.envFrom(c.getName()));
        }
      }
      for (EnvVar env : list(c.getEnv())) {
        var ref = env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
        if (ref != null && secret.equals(ref.getName()) && key.equals(ref.getKey())) {
          uses.add(FlagUse.env(env.getName(), c.getName()));
        }
      }
    }
    for (Volume v : list(pod.getVolumes())) {
      var s = v.getSecret();
      boolean mountsKey =
          s != null
              && secret.equals(s.getSecretName())
              && (s.getItems() == null
                  || s.getItems().isEmpty()
                  || s.getItems().stream().anyMatch(i -> key.equals(i.getKey())));
      if (mountsKey) {
        uses.add(FlagUse.volume(v.getName()));
      }
    }
    return uses.isEmpty() ? FlagUse.NOT_REFERENCED : String.join("; ", uses);
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l.stream().filter(Objects::nonNull).toList();
  }
}
