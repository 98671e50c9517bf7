package io.kvdb.lua.testing;

import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import java.util.Comparator;
import java.util.List;
import redis.clients.jedis.commands.SortedSetCommands;
import redis.clients.jedis.resps.Tuple;

/**
 * A queue's messages as its indexes hold them, read straight from Redis: every message is in one of
 * the rank-scored indexes of {@link Keys#MESSAGES_BY_RANK}.
 */
public final class StoredMessages {
  private StoredMessages() {}

  /** How many messages the queue stores, expired or not. */
  public static long count(SortedSetCommands redis, QueueRef queue) {
    return Keys.MESSAGES_BY_RANK.stream()
        .mapToLong(index -> redis.zcard(Keys.queue(queue) + index))
        .sum();
  }

  /** The ids of the queue's messages in FIFO (rank) order. */
  public static List<String> inOrder(SortedSetCommands redis, QueueRef queue) {
    return Keys.MESSAGES_BY_RANK.stream()
        .flatMap(index -> redis.zrangeWithScores(Keys.queue(queue) + index, 0, -1).stream())
        .sorted(Comparator.comparingDouble(Tuple::getScore))
        .map(Tuple::getElement)
        .toList();
  }
}
