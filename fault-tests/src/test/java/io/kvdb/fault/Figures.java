package io.kvdb.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The scenarios' figures: one line each, printed and appended to {@code target/fault-figures.txt}
 * for docs/RELIABILITY.md; and the suite's configurable bounds.
 */
final class Figures {
  /** How long load runs before a fault and again after it ({@code -Dkvdb.fault.load-ms}). */
  static final Duration LOAD = Duration.ofMillis(Long.getLong("kvdb.fault.load-ms", 2_500));

  /**
   * How much earlier than its hold a repeat may arrive: the time a delivery takes to reach the
   * client.
   */
  static final Duration SLACK = Duration.ofMillis(Long.getLong("kvdb.fault.slack-ms", 300));

  /** How long a consumer handles a message before it acks it ({@code -Dkvdb.fault.handling-ms}). */
  static final Duration HANDLING = Duration.ofMillis(Long.getLong("kvdb.fault.handling-ms", 100));

  /** How long consumers get to catch up after the load, beyond the hold. */
  static final Duration DRAIN = Duration.ofMillis(Long.getLong("kvdb.fault.drain-ms", 10_000));

  private Figures() {}

  static void print(String scenario, String figures) {
    String line = scenario + ": " + figures;
    System.out.println("FIGURES " + line);
    try {
      Files.createDirectories(Path.of("target"));
      Files.writeString(
          Path.of("target", "fault-figures.txt"),
          line + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
