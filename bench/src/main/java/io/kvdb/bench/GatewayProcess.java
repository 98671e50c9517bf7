package io.kvdb.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway jar run as a child process ({@code java -jar}, the bench's own Java) on a free port and
 * a given Redis, so that its CPU and threads are its own and not the bench's. Its output goes to a
 * log file, shown when it fails to start.
 */
final class GatewayProcess implements AutoCloseable {
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final Path jar;
  private final Path log;

  private GatewayProcess(Process process, int port, Path jar, Path log) {
    this.process = process;
    this.port = port;
    this.jar = jar;
    this.log = log;
  }

  /** Starts {@code jar} on {@code redis} with {@code flags} and waits until it is SERVING. */
  static GatewayProcess start(Path jar, URI redis, List<String> flags) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("--gateway-jar: no file " + jar);
    }
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port)));
    command.addAll(List.of("--redis", redis.toString()));
    command.addAll(flags);
    try {
      Path log = Files.createTempFile("kvdb-bench-gateway-", ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      GatewayProcess gateway = new GatewayProcess(process, port, jar, log);
      try {
        gateway.awaitServing();
      } catch (RuntimeException e) {
        gateway.close();
        throw e;
      }
      return gateway;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + jar, e);
    }
  }

  /**
   * Asks the health service until it says SERVING; fails at once if the process ends, with its
   * output.
   */
  private void awaitServing() {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
      long deadline = System.nanoTime() + READY_WITHIN.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the gateway " + jar + " exited with " + process.exitValue() + ":\n" + output());
        }
        try {
          ServingStatus status =
              health
                  .withDeadlineAfter(1, TimeUnit.SECONDS)
                  .check(HealthCheckRequest.getDefaultInstance())
                  .getStatus();
          if (status == ServingStatus.SERVING) {
            return;
          }
        } catch (StatusRuntimeException notYet) {
          // Not listening yet.
        }
        Thread.sleep(100);
      }
      throw new IllegalStateException(
          "the gateway " + jar + " was not SERVING within " + READY_WITHIN + ":\n" + output());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the gateway", e);
    } finally {
      channel.shutdownNow();
    }
  }

  private String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(could not read " + log + ": " + e + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  String describe() {
    return "gateway " + jar + " in its own process (pid " + pid() + ", log " + log + ")";
  }

  /** Asks it to stop (SIGTERM) and waits; kills it if it does not stop in time. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
        System.err.println("the gateway did not stop within " + STOP_WITHIN + ": killing it");
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
