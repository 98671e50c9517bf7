package io.kvdb.lua.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/** What {@link LocalCluster} and {@link LocalSentinel} share: talking to one node, and waiting. */
final class LocalAdmin {
  /** How long forming a topology, or its recovery after a restart, may take. */
  static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

  private static final int TIMEOUT_MILLIS = 1000;

  private LocalAdmin() {}

  /** Asks the node on {@code port} over a connection of its own. */
  static <T> T ask(int port, Function<Jedis, T> question) {
    try (Jedis node = new Jedis("127.0.0.1", port, TIMEOUT_MILLIS)) {
      return question.apply(node);
    }
  }

  /** The node's role per {@code INFO replication}; {@link LocalNode.Role#DOWN} if it is gone. */
  static LocalNode.Role role(RedisServerProcess server) {
    if (!server.isAlive()) {
      return LocalNode.Role.DOWN;
    }
    try {
      return infoField(server.port(), "replication", "role")
          .map(role -> role.equals("master") ? LocalNode.Role.PRIMARY : LocalNode.Role.REPLICA)
          .orElse(LocalNode.Role.DOWN);
    } catch (JedisException unreachable) {
      return LocalNode.Role.DOWN;
    }
  }

  /** Whether the node is a replica whose link to its primary is up. */
  static boolean replicaLinkUp(int port) {
    return infoField(port, "replication", "master_link_status").orElse("").equals("up");
  }

  /** One {@code name:value} line of an {@code INFO} section (or of {@code CLUSTER INFO}). */
  static Optional<String> infoField(int port, String section, String name) {
    return field(ask(port, node -> node.info(section)), name);
  }

  static Optional<String> field(String info, String name) {
    String prefix = name + ":";
    return info.lines()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).trim())
        .findFirst();
  }

  /**
   * Polls until {@code condition} holds, a refused or failed connection counting as not yet; fails
   * after {@link #SETTLE_TIMEOUT} with {@code state} describing what was seen last.
   */
  static void await(String what, Supplier<String> state, BooleanSupplier condition) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + " not within " + SETTLE_TIMEOUT.toSeconds() + " s: " + state.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting: " + what, e);
      }
    }
  }

  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (JedisException notYet) {
      return false;
    }
  }

  static Path tempDirectory(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  static Path subdirectory(Path parent, String name) {
    try {
      return Files.createDirectory(parent.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + parent.resolve(name), e);
    }
  }

  /** Deletes a temporary directory and all in it; what cannot be deleted is left behind. */
  static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // Temporary files left behind are harmless.
    }
  }
}
