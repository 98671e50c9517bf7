package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A Redis restarting on its append-only file answers LOADING until it has read it back: the gateway
 * answers UNAVAILABLE meanwhile (clients retry) and reports NOT_SERVING, then serves again.
 */
class RedisLoadingTest {
  /** With {@code key-load-delay} (µs per key) these keys take seconds to load back. */
  private static final int KEYS = 15_000;

  private static final Path BINARY = Path.of("/usr/bin/redis-server");

  @TempDir Path dir;

  @Test
  void callsDuringLoadingAreUnavailableAndHealthIsNotServing() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(BINARY), "needs " + BINARY);
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    Process redis = start(port);
    try {
      fill(port);
      GatewayConfig config =
          GatewayConfig.parse(
              "--port", "0", "--redis-timeout-ms", "1000", "--redis", "redis://127.0.0.1:" + port);
      List<Status.Code> duringLoading = new ArrayList<>();
      boolean sawNotServing = false;
      try (Gateway gateway = Gateway.start(config)) {
        ManagedChannel channel =
            ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
        try {
          var queues = QueueServiceGrpc.newBlockingStub(channel);
          var health = HealthGrpc.newBlockingStub(channel);
          redis.destroy();
          assertTrue(redis.waitFor(30, TimeUnit.SECONDS), "redis-server stopped");
          redis = start(port);
          Eventually.await("Redis is up, loading", () -> state(port) != State.DOWN);
          while (state(port) == State.LOADING) {
            Status.Code code =
                codeOf(() -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build()));
            if (state(port) == State.LOADING) {
              duringLoading.add(code);
              sawNotServing |=
                  health.check(HealthCheckRequest.getDefaultInstance()).getStatus()
                      == ServingStatus.NOT_SERVING;
            }
          }
          assertTrue(!duringLoading.isEmpty(), "no call was made while Redis loaded");
          duringLoading.forEach(
              code -> assertEquals(Status.Code.UNAVAILABLE, code, duringLoading.toString()));
          assertTrue(sawNotServing, "health turned NOT_SERVING while Redis loaded");
          Eventually.await(
              "health is SERVING again",
              () ->
                  health.check(HealthCheckRequest.getDefaultInstance()).getStatus()
                      == ServingStatus.SERVING);
          assertEquals(
              Status.Code.NOT_FOUND,
              codeOf(() -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build())));
        } finally {
          channel.shutdownNow();
        }
      }
    } finally {
      redis.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private enum State {
    DOWN,
    LOADING,
    READY
  }

  private static State state(int port) {
    try (Jedis jedis = new Jedis("127.0.0.1", port, 1000)) {
      jedis.ping();
      return State.READY;
    } catch (JedisConnectionException down) {
      return State.DOWN;
    } catch (JedisDataException refused) {
      if (refused.getMessage().startsWith("LOADING")) {
        return State.LOADING;
      }
      throw refused;
    }
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException failure) {
      return failure.getStatus().getCode();
    }
  }

  private Process start(int port) throws Exception {
    List<String> command =
        List.of(
            BINARY.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            dir.toString(),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--daemonize",
            "no",
            // Slow the load down so calls can be made while it runs, and answer them while it runs:
            // about 4.5 s, several calls long even on a busy 2-core machine (1.5 s was not always).
            "--key-load-delay",
            "300",
            "--loading-process-events-interval-bytes",
            "1024");
    File log = dir.resolve("redis.log").toFile();
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start();
    Eventually.await("redis-server answers", () -> !process.isAlive() || state(port) != State.DOWN);
    assertTrue(process.isAlive(), () -> "redis-server exited: " + readQuietly(log));
    return process;
  }

  /** Writes the keys, then rewrites the AOF so they load back from its RDB base, key by key. */
  private static void fill(int port) {
    try (Jedis jedis = new Jedis("127.0.0.1", port, 5000)) {
      Pipeline pipeline = jedis.pipelined();
      String value = "v".repeat(200);
      for (int i = 0; i < KEYS; i++) {
        pipeline.set("k" + i, value);
      }
      pipeline.sync();
      jedis.bgrewriteaof();
      Eventually.within(
          Duration.ofSeconds(30),
          () -> "the AOF rewrite finishes",
          () -> {
            String info = jedis.info("persistence");
            return info.contains("aof_rewrite_in_progress:0")
                && info.contains("aof_rewrite_scheduled:0")
                && info.contains("aof_last_bgrewrite_status:ok");
          });
    }
  }

  private static String readQuietly(File log) {
    try {
      return Files.readString(log.toPath());
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }
}
