package io.kvdb.lua.claims;

import io.kvdb.lua.messages.MessageReplies;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.List;

/**
 * What a claim attempt got: its messages (none: no claim was made), its expiry, how many messages
 * it sent to the dead-letter outbox, and the earliest time a delayed message becomes visible or a
 * claim expires (null if neither), when a waiting caller should look again.
 */
public record ClaimOutcome(
    String claimId,
    Instant now,
    Instant expiresAt,
    Instant nextChange,
    int deadLettered,
    List<StoredMessage> messages) {
  public ClaimOutcome {
    messages = List.copyOf(messages);
  }

  /** Decodes the reply of claims/create. */
  static ClaimOutcome decode(String claimId, Object result) {
    ScriptReply reply = ScriptReply.of(result);
    Instant now = reply.nextInstant();
    Instant claimExpires = reply.nextInstant();
    Instant nextChange = reply.nextInstantOrNull();
    int deadLettered = reply.nextInt();
    return new ClaimOutcome(
        claimId, now, claimExpires, nextChange, deadLettered, MessageReplies.readAll(reply, now));
  }
}
