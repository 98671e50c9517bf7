package io.kvdb.gateway.server;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kvdb.lua.redis.RedisProbe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Keeps the gRPC health status honest: SERVING while Redis answers PING, NOT_SERVING while it does
 * not, so load balancers route around a gateway that lost its Redis.
 */
final class RedisHealthWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisHealthWatcher.class);

  private final RedisProbe probe;
  private final HealthStatusManager health;
  private final List<String> services;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kvdb-health");
            thread.setDaemon(true);
            return thread;
          });
  private volatile ServingStatus current;

  RedisHealthWatcher(UnifiedJedis redis, HealthStatusManager health, List<String> services) {
    this.probe = new RedisProbe(redis);
    this.health = health;
    this.services = List.copyOf(services);
  }

  /** Marks the gateway SERVING now (Redis answered, scripts loaded) and checks every period. */
  void start(Duration period) {
    set(ServingStatus.SERVING);
    timer.scheduleWithFixedDelay(
        this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void check() {
    ServingStatus status = probe.answers() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    if (status != current) {
      log.warn("health is now {}", status);
      set(status);
    }
  }

  private void set(ServingStatus status) {
    current = status;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    services.forEach(service -> health.setStatus(service, status));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
