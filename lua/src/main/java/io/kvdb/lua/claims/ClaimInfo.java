package io.kvdb.lua.claims;

import io.kvdb.lua.messages.StoredMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A live claim: its ttl and grace, when it was made and expires, and the messages it holds. */
public record ClaimInfo(String id, Duration ttl, Duration grace, Instant createdAt, Instant expiresAt, Instant now,
    List<StoredMessage> messages) {
  public ClaimInfo {
    messages = List.copyOf(messages);
  }
}
