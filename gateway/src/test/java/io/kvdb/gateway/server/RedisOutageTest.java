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
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientPauseMode;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A gateway whose Redis goes away answers UNAVAILABLE and reports NOT_SERVING, and serves again
 * once Redis is back; health follows within one check interval plus the Redis timeout, both ways.
 */
class RedisOutageTest {
  private static final Logger log = LoggerFactory.getLogger(RedisOutageTest.class);
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  /** The worst case is one interval then one PING given up on; twice it absorbs a busy machine. */
  private static final Duration HEALTH_LAG_BOUND = INTERVAL.plus(TIMEOUT).multipliedBy(2);

  @Test
  void healthFollowsRedisDownAndUpAndTheFirstCallAfterServingSucceeds() throws Exception {
    RedisServerProcess redis = TestRedis.startPrivate();
    RedisServerProcess restarted = null;
    try (Gateway gateway = Gateway.start(config(redis))) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
      try {
        var health = HealthGrpc.newBlockingStub(channel);
        var queues = QueueServiceGrpc.newBlockingStub(channel);
        assertEquals(ServingStatus.SERVING, status(health));

        redis.close();
        long killed = System.nanoTime();
        Eventually.within(
            HEALTH_LAG_BOUND,
            () -> "health turns NOT_SERVING after the kill",
            () -> status(health) == ServingStatus.NOT_SERVING);
        log.info("health NOT_SERVING {} ms after Redis stopped", millisSince(killed));
        StatusRuntimeException error =
            Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build()));
        assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode(), error.toString());

        restarted = redis.startAgain();
        long back = System.nanoTime();
        Eventually.within(
            HEALTH_LAG_BOUND,
            () -> "health turns SERVING once Redis is back",
            () -> status(health) == ServingStatus.SERVING);
        log.info("health SERVING {} ms after Redis answered again", millisSince(back));
        error =
            Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build()));
        assertEquals(
            Status.Code.NOT_FOUND,
            error.getStatus().getCode(),
            "the first call after SERVING reaches Redis: " + error);
      } finally {
        channel.shutdownNow();
      }
    } finally {
      redis.close();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  /**
   * A Redis that hangs (CLIENT PAUSE: connections open, nothing answered) is as good as gone: each
   * PING is given up on after the timeout, so health does not stay SERVING meanwhile.
   */
  @Test
  void aRedisThatStopsAnsweringTurnsHealthNotServingUntilItAnswersAgain() throws Exception {
    Duration pause = Duration.ofMillis(1500);
    try (RedisServerProcess redis = TestRedis.startPrivate();
        Gateway gateway = Gateway.start(config(redis));
        Jedis admin = new Jedis(redis.uri())) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
      try {
        var health = HealthGrpc.newBlockingStub(channel);
        var queues = QueueServiceGrpc.newBlockingStub(channel);
        admin.clientPause(pause.toMillis(), ClientPauseMode.ALL);
        long paused = System.nanoTime();
        Eventually.within(
            HEALTH_LAG_BOUND,
            () -> "health turns NOT_SERVING while Redis answers nothing",
            () -> status(health) == ServingStatus.NOT_SERVING);
        log.info("health NOT_SERVING {} ms after Redis stopped answering", millisSince(paused));

        // Paused clients include the one that would unpause: the pause ends by itself.
        Eventually.await("Redis answers again", () -> answers(redis.uri().getPort()));
        long back = System.nanoTime();
        Eventually.within(
            HEALTH_LAG_BOUND,
            () -> "health turns SERVING once Redis answers again",
            () -> status(health) == ServingStatus.SERVING);
        log.info("health SERVING {} ms after Redis answered again", millisSince(back));
        StatusRuntimeException error =
            Assertions.assertThrows(
                StatusRuntimeException.class,
                () -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build()));
        assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode(), error.toString());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /**
   * A Redis that answers nothing for longer than the timeout while a gateway starts (a starved
   * machine) is waited for: the start ends once it answers, and the gateway serves.
   */
  @Test
  void aGatewayStartingWhileRedisHangsWaitsForIt() throws Exception {
    Duration pause = TIMEOUT.multipliedBy(4);
    try (RedisServerProcess redis = TestRedis.startPrivate();
        Jedis admin = new Jedis(redis.uri())) {
      admin.clientPause(pause.toMillis(), ClientPauseMode.ALL);
      long paused = System.nanoTime();
      try (Gateway gateway = Gateway.start(config(redis))) {
        assertTrue(
            millisSince(paused) >= TIMEOUT.toMillis(),
            "the start waited for Redis instead of missing the pause");
        ManagedChannel channel =
            ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
        try {
          StatusRuntimeException error =
              Assertions.assertThrows(
                  StatusRuntimeException.class,
                  () ->
                      QueueServiceGrpc.newBlockingStub(channel)
                          .getQueue(GetQueueRequest.newBuilder().setName("q").build()));
          assertEquals(Status.Code.NOT_FOUND, error.getStatus().getCode(), error.toString());
        } finally {
          channel.shutdownNow();
        }
      }
    }
  }

  private static GatewayConfig config(RedisServerProcess redis) {
    return GatewayConfig.parse(
        "--port",
        "0",
        "--redis-timeout-ms",
        Long.toString(TIMEOUT.toMillis()),
        "--health-interval-ms",
        Long.toString(INTERVAL.toMillis()),
        "--redis",
        redis.uri().toString());
  }

  private static ServingStatus status(HealthGrpc.HealthBlockingStub health) {
    return health.check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  private static boolean answers(int port) {
    try (Jedis jedis = new Jedis("127.0.0.1", port, 1000)) {
      return "PONG".equals(jedis.ping());
    } catch (JedisConnectionException notYet) {
      return false;
    }
  }
}
