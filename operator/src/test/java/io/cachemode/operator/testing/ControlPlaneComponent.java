package io.cachemode.operator.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One process of the {@link LocalControlPlane} (kube-apiserver, etcd, ...), stopped and started
 * again with the same command line, so on the same ports and data directory: what a crashed or
 * restarted control-plane component looks like to its clients.
 *
 * <p>testenv/up.sh keeps {@code "<pid> <name>"} lines in {@code STATE_DIR/pids}; a restarted
 * process replaces its line there, so testenv/down.sh still stops it at the end of the run (its
 * command line mentions the state directory, which is how down.sh recognises its own processes).
 */
public final class ControlPlaneComponent {
  private static final Duration GRACE = Duration.ofSeconds(20);

  private final Path stateDir;
  private final String name;
  private final List<String> command;
  private long pid;

  private ControlPlaneComponent(Path stateDir, String name, long pid, List<String> command) {
    this.stateDir = stateDir;
    this.name = name;
    this.pid = pid;
    this.command = command;
  }

  /**
   * The running component {@code name} ("kube-apiserver", "etcd", "kube-controller-manager",
   * "kube-scheduler" or "kwok") of the control plane this JVM started.
   */
  public static ControlPlaneComponent of(LocalControlPlane plane, String name) {
    Path state =
        plane
            .stateDir()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "an external cluster ("
                            + LocalControlPlane.KUBECONFIG_ENV
                            + ") cannot be"
                            + " stopped and started by the tests"));
    long pid = pidOf(state, name);
    return new ControlPlaneComponent(state, name, pid, commandLine(pid));
  }

  public String name() {
    return name;
  }

  public boolean running() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** SIGTERM, as an orderly shutdown (SIGKILL after a grace period); returns once it has exited. */
  public void stop() {
    ProcessHandle p = handle();
    p.destroy();
    try {
      p.onExit().get(GRACE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      p.onExit().join();
    }
  }

  /** SIGKILL, as a crash; returns once it has exited. */
  public void kill() {
    ProcessHandle p = handle();
    p.destroyForcibly();
    p.onExit().join();
  }

  /** Starts the component again with its original command line; its log is appended to. */
  public synchronized void start() {
    if (running()) {
      throw new IllegalStateException(name + " (pid " + pid + ") is still running");
    }
    File log = stateDir.resolve("logs").resolve(name + ".log").toFile();
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectInput(new File("/dev/null"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .start();
      replacePid(pid, p.pid());
      pid = p.pid();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " again", e);
    }
  }

  private ProcessHandle handle() {
    return ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") is not running"));
  }

  private static long pidOf(Path state, String name) {
    for (String line : pidLines(state)) {
      String[] parts = line.strip().split(" ", 2);
      if (parts.length == 2 && parts[1].equals(name)) {
        return Long.parseLong(parts[0]);
      }
    }
    throw new IllegalStateException("no " + name + " in " + state.resolve("pids"));
  }

  private static List<String> commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String all = new String(raw, StandardCharsets.UTF_8);
      return new ArrayList<>(Arrays.asList(all.split("\0")));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the command line of pid " + pid, e);
    }
  }

  private synchronized void replacePid(long old, long now) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : pidLines(stateDir)) {
      lines.add(line.equals(old + " " + name) ? now + " " + name : line);
    }
    Files.write(stateDir.resolve("pids"), lines);
  }

  private static List<String> pidLines(Path state) {
    try {
      return Files.readAllLines(state.resolve("pids"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
