package io.kvdb.lua.queues;

import java.time.Duration;
import java.time.Instant;

/** A message's id, when it was posted and how long ago that was (both by the Redis clock). */
public record DatedMessage(String id, Instant createdAt, Duration age) {}
