package io.kvdb.lua.messages;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A message as stored, seen at one moment of the Redis clock: {@code claimId} is empty unless a
 * live claim holds it; {@code visibleAt} is null unless it was posted with a delay.
 */
public record StoredMessage(
    String id,
    byte[] body,
    Map<String, Object> attributes,
    long rank,
    Duration ttl,
    Instant createdAt,
    Instant expiresAt,
    Duration age,
    String clientId,
    Instant visibleAt,
    String claimId,
    Instant claimExpiresAt,
    int claimCount) {}
