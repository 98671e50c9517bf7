package io.kvdb.lua.messages;

import java.time.Duration;
import java.util.Map;

/**
 * A message waiting in a queue's outbox to move to its dead-letter queue; {@code move} counts
 * its dead-letter moves so far, this one included, so that a retried move is told apart from
 * a trip around a cycle of queues.
 */
public record DeadLetter(String id, String deadLetterQueue, byte[] body, Map<String, Object> attributes, Duration ttl,
    long move) {}
