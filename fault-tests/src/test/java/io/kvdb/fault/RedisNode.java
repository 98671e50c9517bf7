package io.kvdb.fault;

import io.kvdb.lua.redis.RedisServerProcess;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * A redis-server the test owns, durable on every write ({@code appendonly yes}, {@code appendfsync
 * always}) in a temporary directory, so that {@link #kill()} (SIGKILL) and {@link #start()} on the
 * same port and directory model a crash and a recovery. The binary is Debian's with {@code
 * KVDB_TEST_REDIS=server}, else the Redis 6.2 the embedded-redis artifact ships, else the PATH's.
 */
final class RedisNode implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(15);

  private final Path binary;
  private final Path dir;
  private final int port;
  private Process process;

  private RedisNode(Path binary, Path dir, int port) {
    this.binary = binary;
    this.dir = dir;
    this.port = port;
  }

  static RedisNode launch() {
    try {
      Path dir = Files.createTempDirectory("kvdb-fault-redis");
      RedisNode node = new RedisNode(binary(), dir, freePort());
      node.start();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  int port() {
    return port;
  }

  /** Starts the server (again) on its port and directory and waits until it answers PING. */
  synchronized void start() {
    try {
      process =
          new ProcessBuilder(
                  List.of(
                      binary.toString(),
                      "--port",
                      Integer.toString(port),
                      "--bind",
                      "127.0.0.1",
                      "--dir",
                      dir.toString(),
                      "--appendonly",
                      "yes",
                      "--appendfsync",
                      "always",
                      "--save",
                      "",
                      "--daemonize",
                      "no"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary, e);
    }
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!answers("PING", "+PONG")) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("redis-server did not start: " + log());
      }
      pause(10);
    }
  }

  /** SIGKILL: no shutdown, no final fsync; what the AOF holds is all that survives. */
  synchronized void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("redis-server survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Fills the server with {@code keys} small keys and rewrites the AOF around them, so that a
   * restart spends a moment loading (answering LOADING) as a real, full Redis does.
   */
  void fill(int keys) {
    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
      Pipeline pipeline = jedis.pipelined();
      for (int from = 0; from < keys; from += 1000) {
        String[] pairs = new String[2 * Math.min(1000, keys - from)];
        for (int i = 0; i < pairs.length / 2; i++) {
          pairs[2 * i] = "filler:" + (from + i);
          pairs[2 * i + 1] = "x".repeat(32);
        }
        pipeline.mset(pairs);
      }
      pipeline.sync();
      jedis.bgrewriteaof();
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (jedis.info("persistence").contains("aof_rewrite_in_progress:1")
          || jedis.info("persistence").contains("aof_rewrite_scheduled:1")) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the AOF rewrite never finished");
        }
        pause(20);
      }
    }
  }

  /** Sends one inline command and says whether the reply starts as expected. */
  boolean answers(String command, String expectedStart) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(2000);
      socket.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[64];
      int read = socket.getInputStream().read(reply);
      return read > 0
          && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith(expectedStart);
    } catch (IOException notYet) {
      return false;
    }
  }

  String version() {
    return version(binary);
  }

  /** What {@code binary --version} says its version is. */
  static String version(Path binary) {
    try {
      Process run =
          new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      run.waitFor(5, TimeUnit.SECONDS);
      return out.replaceAll(".*v=(\\S+).*", "$1");
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  String log() {
    try {
      return Files.readString(dir.resolve("redis.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteTree(dir.toFile());
  }

  /** Debian's redis-server with {@code KVDB_TEST_REDIS=server}, else the embedded one. */
  private static Path binary() {
    return "server".equals(System.getenv("KVDB_TEST_REDIS"))
        ? RedisServerProcess.pathBinary()
        : RedisServerProcess.embeddedBinary();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteTree(File file) {
    File[] children = file.listFiles();
    if (children != null) {
      for (File child : children) {
        deleteTree(child);
      }
    }
    file.delete();
  }
}
