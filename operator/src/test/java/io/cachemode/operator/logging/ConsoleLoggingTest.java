package io.cachemode.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;

class ConsoleLoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d,\\d{3}";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Logger log = LoggerFactory.getLogger("io.cachemode.operator.reconcile.Example");

  @AfterEach
  void restore() {
    MDC.clear();
    ConsoleLogging.install(LogFormat.TEXT, Level.INFO);
  }

  private void install(Formatter formatter, Level level) {
    ConsoleLogging.install(formatter, level, new PrintStream(out, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void textLinesAreLaidOutAsLog4jsPatternWithTheResourceFromTheMdc() {
    install(new TextFormatter(), Level.INFO);
    log.info("'cachemode' controller started");
    MDC.put("resource.namespace", "shop");
    MDC.put("resource.name", "atom-redis");
    log.warn("restarting {} of {}", "Deployment/atom", 3);

    assertThat(output().split("\n", -1))
        .satisfiesExactly(
            l ->
                assertThat(l)
                    .matches(TIME + " INFO  \\[/\\] Example - 'cachemode' controller started"),
            l ->
                assertThat(l)
                    .matches(
                        TIME
                            + " WARN  \\[shop/atom-redis\\] Example - restarting Deployment/atom of 3"),
            l -> assertThat(l).isEmpty());
  }

  @Test
  void aTextLineIsFollowedByTheStackTrace() {
    install(new TextFormatter(), Level.INFO);
    log.error("failed", new IllegalStateException("boom", new RuntimeException("cause")));

    String[] lines = output().split("\n");
    assertThat(lines[0]).matches(TIME + " ERROR \\[/\\] Example - failed");
    assertThat(lines[1]).isEqualTo("java.lang.IllegalStateException: boom");
    assertThat(lines[2]).startsWith("\tat io.cachemode.operator.logging.ConsoleLoggingTest.");
    assertThat(output())
        .contains("\nCaused by: java.lang.RuntimeException: cause\n")
        .endsWith("\n");
  }

  @Test
  void jsonLinesHaveEcsLayoutsFieldsInItsOrder() throws Exception {
    install(new JsonFormatter(), Level.INFO);
    MDC.put("resource.namespace", "shop");
    MDC.put("resource.name", "atom-redis");
    MDC.put("resource.kind", "CacheMode");
    log.info("a \"quoted\" value\nand a second line\twith a tab");

    assertThat(output()).endsWith("}\n").hasLineCount(1);
    JsonNode line = JSON.readTree(output());
    List<String> fields = new ArrayList<>();
    line.fieldNames().forEachRemaining(fields::add);
    assertThat(fields)
        .containsExactly(
            "@timestamp",
            "ecs.version",
            "log.level",
            "message",
            "process.thread.name",
            "log.logger",
            "resource.kind",
            "resource.name",
            "resource.namespace");
    assertThat(line.get("@timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(line.get("ecs.version").asText()).isEqualTo("1.2.0");
    assertThat(line.get("log.level").asText()).isEqualTo("INFO");
    assertThat(line.get("message").asText())
        .isEqualTo("a \"quoted\" value\nand a second line\twith a tab");
    assertThat(line.get("process.thread.name").asText())
        .isEqualTo(Thread.currentThread().getName());
    assertThat(line.get("log.logger").asText())
        .isEqualTo("io.cachemode.operator.reconcile.Example");
    assertThat(line.get("resource.namespace").asText()).isEqualTo("shop");
    assertThat(line.get("resource.name").asText()).isEqualTo("atom-redis");
  }

  @Test
  void jsonLinesCarryTheThrowableInTheErrorFields() throws Exception {
    install(new JsonFormatter(), Level.INFO);
    log.warn("failed", new IllegalStateException("boom \"x\""));
    log.warn("failed without a message", new IllegalStateException());

    List<String> lines = output().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(first.get("error.message").asText()).isEqualTo("boom \"x\"");
    assertThat(first.get("error.stack_trace").asText())
        .startsWith("java.lang.IllegalStateException: boom \"x\"\n\tat ")
        .contains("ConsoleLoggingTest");
    JsonNode second = JSON.readTree(lines.get(1));
    assertThat(second.get("error.message").isNull()).as("as Log4j wrote it").isTrue();
  }

  @Test
  void jsonLinesHaveNoErrorFieldsWithoutAThrowable() throws Exception {
    install(new JsonFormatter(), Level.INFO);
    log.info("fine");

    JsonNode line = JSON.readTree(output());
    assertThat(line.has("error.type")).isFalse();
    assertThat(line.has("error.message")).isFalse();
    assertThat(line.has("error.stack_trace")).isFalse();
  }

  @Test
  void eachSlf4jLevelIsShownUnderItsOwnName() throws Exception {
    install(new JsonFormatter(), Level.TRACE);
    log.trace("t");
    log.debug("d");
    log.info("i");
    log.warn("w");
    log.error("e");

    List<String> levels = new ArrayList<>();
    for (String l : output().lines().toList()) {
      levels.add(JSON.readTree(l).get("log.level").asText());
    }
    assertThat(levels).containsExactly("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  }

  @Test
  void levelsMapBothWays() {
    for (Level level : Level.values()) {
      assertThat(ConsoleLogging.toSlf4j(ConsoleLogging.toJul(level))).isEqualTo(level);
    }
    assertThat(ConsoleLogging.toJul(Level.TRACE)).isEqualTo(java.util.logging.Level.FINEST);
    assertThat(ConsoleLogging.toJul(Level.DEBUG)).isEqualTo(java.util.logging.Level.FINE);
    assertThat(ConsoleLogging.toJul(Level.WARN)).isEqualTo(java.util.logging.Level.WARNING);
    assertThat(ConsoleLogging.toJul(Level.ERROR)).isEqualTo(java.util.logging.Level.SEVERE);
    assertThat(ConsoleLogging.toSlf4j(java.util.logging.Level.CONFIG)).isEqualTo(Level.DEBUG);
    assertThat(ConsoleLogging.toSlf4j(java.util.logging.Level.FINER)).isEqualTo(Level.TRACE);
  }

  @Test
  void theRootLevelHoldsBackWhatIsBelowIt() {
    install(new TextFormatter(), Level.WARN);
    log.info("not shown");
    log.warn("shown");

    assertThat(output()).doesNotContain("not shown").contains("WARN  [/] Example - shown");
  }

  @Test
  void informersLogOnlyWarningsEvenAtDebug() {
    install(new TextFormatter(), Level.DEBUG);
    Logger informer =
        LoggerFactory.getLogger(
            "io.fabric8.kubernetes.client.informers.impl.DefaultSharedIndexInformer");
    informer.info("watch reconnected");
    informer.warn("watch failed");
    log.debug("ours at debug");

    assertThat(output())
        .doesNotContain("watch reconnected")
        .contains("WARN  [/] DefaultSharedIndexInformer - watch failed")
        .contains("DEBUG [/] Example - ours at debug");
  }

  @Test
  void librariesLoggingToJulDirectlyGetTheSameLines() {
    install(new TextFormatter(), Level.INFO);
    java.util.logging.Logger.getLogger("okhttp3.OkHttpClient")
        .log(java.util.logging.Level.WARNING, "A connection to {0} was leaked", "http://x/");

    assertThat(output())
        .matches(TIME + " WARN  \\[/\\] OkHttpClient - A connection to http://x/ was leaked\n");
  }

  @Test
  void threadsStartedWhileTheMdcIsSetDoNotInheritIt() throws Exception {
    install(new TextFormatter(), Level.INFO);
    MDC.put("resource.namespace", "shop");
    MDC.put("resource.name", "atom-redis");
    Thread pooled = new Thread(() -> log.info("from a pool thread"));
    pooled.start();
    pooled.join();

    assertThat(output()).contains("INFO  [/] Example - from a pool thread");
    assertThat(MDC.getMDCAdapter()).isInstanceOf(ThreadMdc.class);
  }

  @Test
  void theMdcIsReadOnTheThreadThatLogs() throws Exception {
    install(new TextFormatter(), Level.INFO);
    Thread other =
        new Thread(
            () -> {
              MDC.put("resource.namespace", "other");
              MDC.put("resource.name", "cm");
              log.info("from another thread");
              MDC.clear();
            });
    other.start();
    other.join();
    log.info("from this thread");

    assertThat(output())
        .contains("INFO  [other/cm] Example - from another thread")
        .contains("INFO  [/] Example - from this thread");
  }

  @Test
  void logsGoToStdoutOneWritePerRecord() {
    PrintStream stdout = System.out;
    List<Integer> writes = new ArrayList<>();
    ByteArrayOutputStream captured =
        new ByteArrayOutputStream() {
          @Override
          public synchronized void write(byte[] b, int off, int len) {
            writes.add(len);
            super.write(b, off, len);
          }
        };
    System.setOut(new PrintStream(captured, false, StandardCharsets.UTF_8));
    try {
      ConsoleLogging.install(LogFormat.JSON, Level.INFO);
      log.info("to stdout");
      log.info("and again", new IllegalStateException("with a trace"));
    } finally {
      System.setOut(stdout);
    }

    String text = captured.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("\"message\":\"to stdout\"").contains("with a trace");
    assertThat(writes).as("each record is written, and flushed, at once").hasSize(2);
  }

  @Test
  void ourProviderIsTheOne() {
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .isEqualTo("org.slf4j.jul.JDK14LoggerFactory");
    assertThat(MDC.getMDCAdapter()).isInstanceOf(ThreadMdc.class);
  }
}
