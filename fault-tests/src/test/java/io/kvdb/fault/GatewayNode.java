package io.kvdb.fault;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a JVM of its own (its log kept in {@code target/fault-logs/}) ({@code
 * io.kvdb.gateway.Main} on the test's classpath), so that {@link #kill()} is a real SIGKILL: no
 * shutdown hook, no release of what its streams held. Short minimums (200 ms TTLs, no grace) and a
 * 200 ms collector, as the conformance suite uses.
 */
final class GatewayNode implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final int port;
  private final Path log;
  private final Process process;
  private final ManagedChannel channel;

  private GatewayNode(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
    this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  static GatewayNode start(URI redis) {
    return start(redis, List.of());
  }

  /** A gateway with more flags, after the suite's own ({@code --durability replicated}). */
  static GatewayNode start(URI redis, List<String> flags) {
    int port = RedisNode.freePort();
    try {
      Path log = Files.createTempFile("kvdb-fault-gateway-" + port, ".log");
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xmx256m",
                  "-cp",
                  System.getProperty(
                      "surefire.test.class.path", System.getProperty("java.class.path")),
                  "io.kvdb.gateway.Main",
                  "--port",
                  Integer.toString(port),
                  "--redis",
                  redis.toString(),
                  "--redis-timeout-ms",
                  "1000",
                  "--shutdown-grace-seconds",
                  "0",
                  "--min-message-ttl-ms",
                  "200",
                  "--min-claim-ttl-ms",
                  "200",
                  "--min-claim-grace-ms",
                  "0",
                  "--collect-interval-ms",
                  "200"));
      command.addAll(flags);
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      GatewayNode node = new GatewayNode(port, log, process);
      node.awaitServing();
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts several gateways at once: each JVM takes seconds to warm up on a loaded machine. */
  static List<GatewayNode> startAll(URI redis, int count) {
    List<CompletableFuture<GatewayNode>> starting = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      starting.add(CompletableFuture.supplyAsync(() -> start(redis)));
    }
    return starting.stream().map(CompletableFuture::join).toList();
  }

  int port() {
    return port;
  }

  /** A channel to this gateway, shared by the test's stubs; closed with the node. */
  ManagedChannel channel() {
    return channel;
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean serving() {
    try {
      return HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(1, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance())
              .getStatus()
          == ServingStatus.SERVING;
    } catch (StatusRuntimeException notYet) {
      return false;
    }
  }

  /** SIGKILL on the gateway's JVM. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gateway survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    if (process.isAlive()) {
      kill();
    }
    try {
      Path kept = Path.of("target", "fault-logs");
      Files.createDirectories(kept);
      Files.move(
          log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException ignored) {
      // The log stays in the temporary directory instead.
    }
  }

  private void awaitServing() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!serving()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String output = log();
        close();
        throw new IllegalStateException("gateway on port " + port + " never served: " + output);
      }
      RedisNode.pause(50);
    }
  }
}
