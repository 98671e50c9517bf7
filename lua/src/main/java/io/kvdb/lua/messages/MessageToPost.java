package io.kvdb.lua.messages;

import java.time.Duration;
import java.util.Map;

/**
 * A message to post: its id (chosen by the caller), body, attributes, and TTL and delay, either of
 * which may be null to take the queue's default.
 */
public record MessageToPost(
    String id, byte[] body, Map<String, Object> attributes, Duration ttl, Duration delay) {}
