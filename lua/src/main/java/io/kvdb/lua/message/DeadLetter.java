package io.kvdb.lua.message;

import java.time.Duration;
import java.util.Map;

/** A message waiting in a queue's outbox to move to its dead-letter queue. */
public record DeadLetter(String id, String deadLetterQueue, byte[] body, Map<String, Object> attributes, Duration ttl) {}
