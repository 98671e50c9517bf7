package io.kvdb.lua.queue;

import java.time.Duration;
import java.time.Instant;

/** A message's id, when it was posted and how long ago that was (both by the Redis clock). */
public record MessageAge(String id, Instant createdAt, Duration age) {}
