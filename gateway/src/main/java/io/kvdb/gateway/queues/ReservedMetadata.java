package io.kvdb.gateway.queues;

import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.script.Durability;
import java.util.Map;

/**
 * Validates the reserved queue metadata keys that steer message handling, so that a bad value is
 * refused when it is set rather than discovered when a message is posted or claimed.
 */
final class ReservedMetadata {
  static final String DEFAULT_MESSAGE_TTL = "_default_message_ttl";
  static final String DEFAULT_MESSAGE_DELAY = "_default_message_delay";
  static final String MAX_MESSAGES_POST_SIZE = "_max_messages_post_size";
  static final String MAX_CLAIM_COUNT = "_max_claim_count";
  static final String DEAD_LETTER_QUEUE = "_dead_letter_queue";
  static final String DEAD_LETTER_QUEUE_MESSAGES_TTL = "_dead_letter_queue_messages_ttl";
  static final String FLAVOR = "_flavor";

  /** The largest post a queue may allow: 1 MiB, a quarter of gRPC's default message size. */
  static final long MAX_POST_SIZE_CEILING = 1024 * 1024;

  private ReservedMetadata() {}

  /**
   * Checks every reserved key present with a value; null values (merge removals) pass. A queue may
   * not be its own dead-letter queue: its letters would only come back to it.
   */
  static void validate(String queue, Map<String, Object> metadata, MessageLimits limits) {
    // Reserved TTLs are whole seconds: at least one, however short the gateway's minimum.
    long minTtl = Math.max(1, (limits.minTtl().toMillis() + 999) / 1000);
    long maxTtl = limits.maxTtl().toSeconds();
    metadata.forEach(
        (key, value) -> {
          if (value == null) {
            return;
          }
          switch (key) {
            case DEFAULT_MESSAGE_TTL, DEAD_LETTER_QUEUE_MESSAGES_TTL ->
                wholeNumber(key, value, minTtl, maxTtl);
            case DEFAULT_MESSAGE_DELAY -> wholeNumber(key, value, 0, limits.maxDelay().toSeconds());
            case MAX_MESSAGES_POST_SIZE -> wholeNumber(key, value, 1, MAX_POST_SIZE_CEILING);
            case MAX_CLAIM_COUNT -> wholeNumber(key, value, 1, Integer.MAX_VALUE);
            case DEAD_LETTER_QUEUE -> deadLetterQueue(queue, key, value);
            case Durability.QUEUE_SETTING -> durability(key, value);
            case FLAVOR -> flavor(key, value);
            default -> {}
          }
        });
  }

  private static void wholeNumber(String key, Object value, long min, long max) {
    if (value instanceof Number number) {
      double n = number.doubleValue();
      if (n == Math.rint(n) && n >= min && n <= max) {
        return;
      }
    }
    throw new InvalidArgumentException(
        field(key), "must be a whole number from " + min + " to " + max + ", got " + value);
  }

  private static void deadLetterQueue(String queue, String key, Object value) {
    if (!(value instanceof String name)) {
      throw new InvalidArgumentException(field(key), "must be a queue name, got " + value);
    }
    Names.name(field(key), name);
    if (name.equals(queue)) {
      throw new InvalidArgumentException(
          field(key), "names the queue itself; a dead-letter queue must be another");
    }
  }

  private static void flavor(String key, Object value) {
    if (!(value instanceof String name)) {
      throw new InvalidArgumentException(field(key), "must be a flavor's name, got " + value);
    }
    Names.name(field(key), name);
  }

  private static void durability(String key, Object value) {
    if (!Durability.MEMORY.equals(value) && !Durability.REPLICATED.equals(value)) {
      throw new InvalidArgumentException(
          field(key),
          "must be '" + Durability.MEMORY + "' or '" + Durability.REPLICATED + "', got " + value);
    }
  }

  private static String field(String key) {
    return "metadata." + key;
  }
}
