package io.kvdb.lua.claims;

import io.kvdb.lua.messages.MessageReplies;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A live claim: its ttl and grace, when it was made and expires, and the messages it holds. */
public record ClaimInfo(
    String id,
    Duration ttl,
    Duration grace,
    Instant createdAt,
    Instant expiresAt,
    Instant now,
    List<StoredMessage> messages) {
  public ClaimInfo {
    messages = List.copyOf(messages);
  }

  /** Decodes the reply of claims/get, which claims/update shares. */
  static ClaimInfo decode(String claimId, Object result) {
    ScriptReply reply = ScriptReply.of(result);
    Instant now = reply.nextInstant();
    Duration ttl = reply.nextMillis();
    Duration grace = reply.nextMillis();
    Instant created = reply.nextInstant();
    Instant expires = reply.nextInstant();
    return new ClaimInfo(
        claimId, ttl, grace, created, expires, now, MessageReplies.readAll(reply, now));
  }
}
