package io.kvdb.gateway.server;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kvdb.lua.redis.RedisProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Keeps the gRPC health status honest: SERVING while Redis answers PING, NOT_SERVING while it does
 * not (unreachable, loading, refusing), so load balancers route around a gateway that lost its
 * Redis. Each check waits at most the Redis timeout for its PING, so the status follows Redis
 * within one interval plus that timeout, both ways, even when a PING hangs on a dead connection.
 */
final class RedisHealthWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisHealthWatcher.class);

  private final RedisProbe probe;
  private final HealthStatusManager health;
  private final List<String> services;
  private final Duration pingDeadline;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("kvdb-health"));

  /** Runs the PINGs, so that the timer thread can give up on one that hangs. */
  private final ExecutorService pinger =
      Executors.newSingleThreadExecutor(daemon("kvdb-health-ping"));

  /** The PING last sent; read and written on the timer thread only. */
  private Future<RedisProbe.Answer> ping;

  private volatile ServingStatus current;

  RedisHealthWatcher(
      UnifiedJedis redis,
      HealthStatusManager health,
      List<String> services,
      Duration redisTimeout) {
    this.probe = new RedisProbe(redis);
    this.health = health;
    this.services = List.copyOf(services);
    this.pingDeadline = redisTimeout;
  }

  /** Marks the gateway SERVING now (Redis answered, scripts loaded) and checks every interval. */
  void start(Duration interval) {
    set(ServingStatus.SERVING);
    timer.scheduleWithFixedDelay(
        this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    Finding finding;
    try {
      finding = awaitPing();
    } catch (InterruptedException closing) {
      Thread.currentThread().interrupt();
      return;
    }
    if (finding.status() != current) {
      log.warn("health is now {} (Redis: {})", finding.status(), finding.why());
      set(finding.status());
    }
  }

  private Finding awaitPing() throws InterruptedException {
    if (ping == null) {
      ping = pinger.submit(probe::ping);
    }
    try {
      RedisProbe.Answer answer = ping.get(pingDeadline.toMillis(), TimeUnit.MILLISECONDS);
      ping = null;
      return new Finding(
          answer == RedisProbe.Answer.READY ? ServingStatus.SERVING : ServingStatus.NOT_SERVING,
          answer.name());
    } catch (TimeoutException hanging) {
      // Kept: the next check waits for this same PING rather than queueing another behind it.
      return new Finding(
          ServingStatus.NOT_SERVING, "no answer to PING within " + pingDeadline.toMillis() + " ms");
    } catch (ExecutionException failed) {
      ping = null;
      return new Finding(ServingStatus.NOT_SERVING, "PING failed: " + failed.getCause());
    }
  }

  /** What a check concluded, and why, for the log line of a change. */
  private record Finding(ServingStatus status, String why) {}

  private void set(ServingStatus status) {
    current = status;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    services.forEach(service -> health.setStatus(service, status));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    pinger.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
