package io.kvdb.gateway.wait;

import io.kvdb.lua.redis.ChannelSubscription;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * Wakes callers waiting for something to change in Redis (a lock released, messages posted), on
 * whichever gateway the change ran: scripts announce changes on a pub/sub channel, and one {@link
 * ChannelSubscription} per channel and Redis serves the whole gateway (messages are announced by
 * each pool's Redis, so one per pool: {@link #listenOn}); this class only decides whom each
 * announcement wakes. A change made here can also be signalled locally at once ({@link #signal});
 * announcements carry the origin gateway's id so it does not count its own twice.
 *
 * <p>A caller {@link #watch watches} a key before its first attempt and reads the change count
 * before each attempt; if the attempt finds nothing it parks with that count, so a change that
 * slipped in between wakes it at once instead of being missed. Only watched keys are tracked. A
 * change wakes one parked caller (a released lock serves one) or all of them (posted messages may
 * serve several); a wake only hands work to an executor, so it is cheap under this monitor.
 */
public final class Wakeups implements AutoCloseable {
  private final String gatewayId = UUID.randomUUID().toString();
  private final boolean wakeAll;
  private final String channel;
  private final Map<String, Waiting> byKey = new HashMap<>();
  private final ChannelSubscription subscription;

  /** Changes seen for one watched key, its watchers, and those parked, oldest first. */
  private static final class Waiting {
    long changes;
    int watchers;
    final Deque<BooleanSupplier> parked = new ArrayDeque<>();
  }

  /**
   * Subscribes to {@code channel}. While the subscription is down, waiters fall back to their
   * timers; when it is back, every one of them looks again.
   */
  public Wakeups(UnifiedJedis redis, String channel, boolean wakeAll) {
    this.channel = channel;
    this.wakeAll = wakeAll;
    this.subscription = ChannelSubscription.start(redis, channel, new Announcements());
  }

  /** Hears {@code channel} on no Redis yet: each one is added by {@link #listenOn}. */
  public Wakeups(String channel, boolean wakeAll) {
    this.channel = channel;
    this.wakeAll = wakeAll;
    this.subscription = null;
  }

  /** Hears the channel on one more Redis, until the returned subscription is closed. */
  public ChannelSubscription listenOn(UnifiedJedis redis) {
    return ChannelSubscription.start(redis, channel, new Announcements());
  }

  /**
   * A wake-up for {@link #park} (and for a timer racing it): the first call hands {@code task} to
   * {@code executor} and answers true; later calls answer false, so a change is passed on to the
   * next caller instead of being spent on one already awake.
   */
  public static BooleanSupplier once(Executor executor, Runnable task) {
    AtomicBoolean woken = new AtomicBoolean();
    return () -> {
      if (!woken.compareAndSet(false, true)) {
        return false;
      }
      executor.execute(task);
      return true;
    };
  }

  /** What this gateway publishes for a change of {@code key}. */
  public String announcement(String key) {
    return gatewayId + " " + key;
  }

  /** Starts tracking changes of the key for one more caller; end with {@link #unwatch}. */
  public synchronized void watch(String key) {
    byKey.computeIfAbsent(key, id -> new Waiting()).watchers++;
  }

  /** The caller is done waiting. */
  public synchronized void unwatch(String key) {
    Waiting waiting = byKey.get(key);
    if (waiting != null && --waiting.watchers == 0) {
      byKey.remove(key);
    }
  }

  /** How many changes of a watched key this gateway has seen; pass it to {@link #park}. */
  public synchronized long changesSeen(String key) {
    return byKey.get(key).changes;
  }

  /**
   * Calls {@code wake} at the key's next change, or at once if it changed since {@code seen}.
   * {@code wake} answers false when its caller was already woken some other way (a timer), and the
   * change then goes to the next caller. Returns what unparks.
   */
  public Runnable park(String key, long seen, BooleanSupplier wake) {
    synchronized (this) {
      Waiting waiting = byKey.get(key);
      if (waiting.changes == seen) {
        waiting.parked.addLast(wake);
        return () -> unpark(key, wake);
      }
    }
    wake.getAsBoolean();
    return () -> {};
  }

  /** A change of the key: wake its oldest parked caller, or all of them. */
  public synchronized void signal(String key) {
    Waiting waiting = byKey.get(key);
    if (waiting == null) {
      return;
    }
    waiting.changes++;
    BooleanSupplier wake;
    do {
      wake = waiting.parked.pollFirst();
    } while (wake != null && (!wake.getAsBoolean() || wakeAll));
  }

  private synchronized void unpark(String key, BooleanSupplier wake) {
    Waiting waiting = byKey.get(key);
    if (waiting != null) {
      waiting.parked.remove(wake);
    }
  }

  /** After a gap in the subscription, changes may have been missed: every caller looks again. */
  private synchronized void wakeEveryone() {
    byKey
        .values()
        .forEach(
            waiting -> {
              waiting.changes++;
              waiting.parked.forEach(BooleanSupplier::getAsBoolean);
              waiting.parked.clear();
            });
  }

  @Override
  public void close() {
    if (subscription != null) {
      subscription.close();
    }
  }

  private final class Announcements implements ChannelSubscription.Listener {
    @Override
    public void onSubscribed() {
      wakeEveryone();
    }

    /** Announcements are "origin key" from gateways, or a bare key from scripts. */
    @Override
    public void onMessage(String message) {
      int space = message.indexOf(' ');
      if (space < 0) {
        signal(message);
      } else if (!message.substring(0, space).equals(gatewayId)) {
        signal(message.substring(space + 1));
      }
    }
  }
}
