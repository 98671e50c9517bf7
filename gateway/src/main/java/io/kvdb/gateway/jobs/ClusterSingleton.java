package io.kvdb.gateway.jobs;

import io.kvdb.lua.locks.Acquisition;
import io.kvdb.lua.locks.LockRef;
import io.kvdb.lua.locks.Locks;
import io.kvdb.lua.script.ScriptRefusedException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a background job every interval on exactly one gateway of all those sharing a Redis: the one
 * that holds the job's KVDB lock. The holder renews its lease each run (three intervals long), so
 * if it dies another gateway takes the job over within three intervals.
 */
public final class ClusterSingleton implements AutoCloseable {
  /** Jobs' locks live in a project no client can name ('#' is outside the project alphabet). */
  static final String SYSTEM_PROJECT = "#system";

  private static final Logger log = LoggerFactory.getLogger(ClusterSingleton.class);

  private final LockRef lock;
  private final Locks locks;
  private final Duration interval;
  private final Runnable step;
  private final String token = UUID.randomUUID().toString();
  private final ScheduledExecutorService timer;
  private boolean holding;

  public ClusterSingleton(String job, Locks locks, Duration interval, Runnable step) {
    this.lock = new LockRef(SYSTEM_PROJECT, job);
    this.locks = locks;
    this.interval = interval;
    this.step = step;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kvdb-job-" + job);
              thread.setDaemon(true);
              return thread;
            });
  }

  public ClusterSingleton start() {
    timer.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void tick() {
    try {
      if (holdLease()) {
        step.run();
      }
    } catch (RuntimeException failure) {
      log.warn("background job {} failed this round: {}", lock.name(), failure.toString());
    }
  }

  /** Renews the lease if held, else tries to take it; true when this gateway runs the job. */
  private boolean holdLease() {
    Duration lease = interval.multipliedBy(3);
    if (holding) {
      try {
        locks.renew(lock, token, lease);
        return true;
      } catch (ScriptRefusedException lost) {
        log.info("background job {} moved to another gateway", lock.name());
        holding = false;
      }
    }
    Acquisition attempt = locks.acquire(lock, token, lease, "gateway " + token);
    if (attempt.acquired()) {
      log.info(
          "this gateway now runs background job {} (fence {})",
          lock.name(),
          attempt.lock().fence());
      holding = true;
    }
    return holding;
  }

  /** Stops running the job and hands it over at once. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      if (holding) {
        locks.release(lock, token, "job " + lock.name());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException alreadyGone) {
      // The lease runs out by itself.
    }
  }
}
