package io.kvdb.lua.redis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * A pub/sub subscription to one channel (where scripts announce changes), held on a thread of its
 * own until closed. Each message goes to the listener. A lost connection is subscribed again a
 * second later, for as long as it takes; since Redis keeps no messages for an absent subscriber,
 * the listener hears of every subscription, the first and each one after a gap.
 */
public final class ChannelSubscription implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChannelSubscription.class);
  private static final long RESUBSCRIBE_DELAY_MS = 1000;

  /** What a subscriber hears. Calls come from the subscription's thread, one at a time. */
  public interface Listener {
    /** Subscribed: messages published before now, or during a gap just ended, were not heard. */
    void onSubscribed();

    void onMessage(String message);
  }

  private final UnifiedJedis redis;
  private final String channel;
  private final Thread subscriber;
  private final Messages messages;
  private volatile boolean closed;

  private ChannelSubscription(UnifiedJedis redis, String channel, Listener listener) {
    this.redis = redis;
    this.channel = channel;
    this.messages = new Messages(listener);
    this.subscriber = new Thread(this::subscribeUntilClosed, "kvdb-events-" + channel);
    subscriber.setDaemon(true);
  }

  /** Subscribes to {@code channel} on a new daemon thread. */
  public static ChannelSubscription start(UnifiedJedis redis, String channel, Listener listener) {
    ChannelSubscription subscription = new ChannelSubscription(redis, channel, listener);
    subscription.subscriber.start();
    return subscription;
  }

  private void subscribeUntilClosed() {
    while (!closed) {
      try {
        redis.subscribe(messages, channel);
      } catch (RuntimeException lost) {
        if (!closed) {
          log.warn(
              "subscription to {} lost ({}); subscribing again in {} ms",
              channel,
              lost.getMessage(),
              RESUBSCRIBE_DELAY_MS);
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
      if (messages.isSubscribed()) {
        messages.unsubscribe();
      }
    } catch (RuntimeException alreadyGone) {
      // The connection is closing anyway.
    }
    subscriber.interrupt();
  }

  private static final class Messages extends JedisPubSub {
    private final Listener listener;

    Messages(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void onSubscribe(String subscribed, int subscribedChannels) {
      listener.onSubscribed();
    }

    @Override
    public void onMessage(String from, String message) {
      listener.onMessage(message);
    }
  }
}
