package io.kvdb.lua.messages;

import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes the message fields scripts return, twelve per message in the order lib/messages lists
 * them: id, body, attributes, rank, ttl, expires, created, client, visible, claim id, claim expiry,
 * claim count.
 */
public final class MessageReplies {
  static final int FIELDS = 12;

  private MessageReplies() {}

  /** The messages from here to the end of the reply, as seen at {@code now}. */
  public static List<StoredMessage> readAll(ScriptReply reply, Instant now) {
    List<StoredMessage> messages = new ArrayList<>();
    while (reply.remaining() >= FIELDS) {
      messages.add(read(reply, now));
    }
    return messages;
  }

  @SuppressWarnings("unchecked")
  private static StoredMessage read(ScriptReply reply, Instant now) {
    String id = reply.nextString();
    byte[] body = reply.nextBytes();
    byte[] attributes = reply.nextBytes();
    long rank = reply.nextLong();
    Duration ttl = reply.nextMillis();
    Instant expiresAt = reply.nextInstant();
    Instant createdAt = reply.nextInstant();
    String clientId = reply.nextString();
    Instant visibleAt = reply.nextInstantOrNull();
    String claimId = reply.nextString();
    Instant claimExpiresAt = reply.nextInstantOrNull();
    String claimCount = reply.nextString();
    boolean claimed = claimExpiresAt != null && claimExpiresAt.isAfter(now);
    return new StoredMessage(
        id,
        body,
        attributes.length == 0 ? Map.of() : (Map<String, Object>) MsgpackValues.decode(attributes),
        rank,
        ttl,
        createdAt,
        expiresAt,
        Duration.between(createdAt, now),
        clientId,
        visibleAt,
        claimed ? claimId : "",
        claimed ? claimExpiresAt : null,
        claimCount.isEmpty() ? 0 : Integer.parseInt(claimCount));
  }
}
