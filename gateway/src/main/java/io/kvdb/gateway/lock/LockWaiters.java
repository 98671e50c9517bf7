package io.kvdb.gateway.lock;

import io.kvdb.lua.Keys;
import io.kvdb.lua.lock.LockRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * Wakes callers waiting for a lock when it is released, on whichever gateway the release ran:
 * a release here wakes a local waiter at once; a release elsewhere arrives as an announcement
 * on one Redis subscription shared by the whole gateway. Each release wakes one waiter (not all
 * of them, which would stampede Redis); a waiter that loses the race parks again. A wake only
 * hands work to an executor, so it is cheap to call under this class's monitor.
 *
 * <p>A caller {@link #watch watches} a lock before its first attempt and reads the release count
 * before each attempt; if the attempt fails it parks with that count, so a release that slipped
 * in between wakes it at once instead of being missed. Only watched locks are tracked.
 */
final class LockWaiters implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LockWaiters.class);
  private static final long RESUBSCRIBE_DELAY_MS = 1000;

  private final String gatewayId = UUID.randomUUID().toString();
  private final UnifiedJedis redis;
  private final Map<String, Waiting> byLock = new HashMap<>();
  private final Thread subscriber;
  private final Subscription subscription = new Subscription();
  private volatile boolean closed;

  /** Releases seen for one watched lock, its watchers, and those parked, oldest first. */
  private static final class Waiting {
    long releases;
    int watchers;
    final Deque<BooleanSupplier> parked = new ArrayDeque<>();
  }

  LockWaiters(UnifiedJedis redis) {
    this.redis = redis;
    this.subscriber = new Thread(this::subscribeUntilClosed, "kvdb-lock-events");
    subscriber.setDaemon(true);
    subscriber.start();
  }

  /** What this gateway publishes when it releases {@code lock}. */
  String announcement(LockRef lock) {
    return gatewayId + " " + lock.id();
  }

  /** Starts tracking releases of the lock for one more caller; end with {@link #unwatch}. */
  synchronized void watch(LockRef lock) {
    byLock.computeIfAbsent(lock.id(), id -> new Waiting()).watchers++;
  }

  /** The caller is done waiting (acquired, timed out or gone). */
  synchronized void unwatch(LockRef lock) {
    Waiting waiting = byLock.get(lock.id());
    if (waiting != null && --waiting.watchers == 0) {
      byLock.remove(lock.id());
    }
  }

  /** How many releases of a watched lock this gateway has seen; pass it to {@link #park}. */
  synchronized long releasesSeen(LockRef lock) {
    return byLock.get(lock.id()).releases;
  }

  /**
   * Calls {@code wake} once the lock is next released, or at once if it was released since
   * {@code seen}. {@code wake} answers false when its waiter had already been woken some other
   * way (its timer), and the release then goes to the next waiter. Returns what unparks.
   */
  Runnable park(LockRef lock, long seen, BooleanSupplier wake) {
    synchronized (this) {
      Waiting waiting = byLock.get(lock.id());
      if (waiting.releases == seen) {
        waiting.parked.addLast(wake);
        return () -> unpark(lock.id(), wake);
      }
    }
    wake.getAsBoolean();
    return () -> { };
  }

  /** A release of the lock: wake its oldest waiter still waiting. */
  synchronized void released(String lockId) {
    Waiting waiting = byLock.get(lockId);
    if (waiting == null) {
      return;
    }
    waiting.releases++;
    BooleanSupplier wake;
    do {
      wake = waiting.parked.pollFirst();
    } while (wake != null && !wake.getAsBoolean());
  }

  private synchronized void unpark(String lockId, BooleanSupplier wake) {
    Waiting waiting = byLock.get(lockId);
    if (waiting != null) {
      waiting.parked.remove(wake);
    }
  }

  /** After a gap in the subscription, releases may have been missed: every waiter tries again. */
  private synchronized void wakeEveryone() {
    byLock.values().forEach(waiting -> {
      waiting.releases++;
      waiting.parked.forEach(BooleanSupplier::getAsBoolean);
      waiting.parked.clear();
    });
  }

  private void subscribeUntilClosed() {
    while (!closed) {
      try {
        redis.subscribe(subscription, Keys.LOCK_RELEASED_CHANNEL);
      } catch (RuntimeException lost) {
        if (!closed) {
          log.warn("lock release subscription lost ({}); waiters fall back to lease expiry until it is back",
              lost.getMessage());
        }
      }
      try {
        Thread.sleep(RESUBSCRIBE_DELAY_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (subscription.isSubscribed()) {
        subscription.unsubscribe();
      }
    } catch (RuntimeException alreadyGone) {
      // The connection is closing anyway.
    }
    subscriber.interrupt();
  }

  private final class Subscription extends JedisPubSub {
    @Override
    public void onSubscribe(String channel, int subscribedChannels) {
      wakeEveryone();
    }

    @Override
    public void onMessage(String channel, String message) {
      int space = message.indexOf(' ');
      if (space > 0 && !message.substring(0, space).equals(gatewayId)) {
        released(message.substring(space + 1));
      }
    }
  }
}
