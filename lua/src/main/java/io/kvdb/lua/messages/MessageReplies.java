package io.kvdb.lua.messages;

import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.script.Replies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Decodes the message fields scripts return (lib/messages: twelve values per message). */
public final class MessageReplies {
  static final int FIELDS = 12;

  private MessageReplies() {}

  @SuppressWarnings("unchecked")
  public static List<StoredMessage> decode(List<?> reply, int from, Instant now) {
    List<StoredMessage> messages = new ArrayList<>();
    for (int i = from; i + FIELDS <= reply.size(); i += FIELDS) {
      String id = Replies.asString(reply.get(i));
      byte[] attributes = Replies.asBytes(reply.get(i + 2));
      Instant createdAt = Replies.asInstant(reply.get(i + 6));
      Instant claimExpiresAt = optionalInstant(reply.get(i + 10));
      boolean claimed = claimExpiresAt != null && claimExpiresAt.isAfter(now);
      String claimCount = Replies.asString(reply.get(i + 11));
      messages.add(new StoredMessage(
          id,
          Replies.asBytes(reply.get(i + 1)),
          attributes.length == 0 ? Map.of() : (Map<String, Object>) MsgpackValues.decode(attributes),
          Replies.asLong(reply.get(i + 3)),
          Duration.ofMillis(Replies.asLong(reply.get(i + 4))),
          createdAt,
          Replies.asInstant(reply.get(i + 5)),
          Duration.between(createdAt, now),
          Replies.asString(reply.get(i + 7)),
          optionalInstant(reply.get(i + 8)),
          claimed ? Replies.asString(reply.get(i + 9)) : "",
          claimed ? claimExpiresAt : null,
          claimCount.isEmpty() ? 0 : Integer.parseInt(claimCount)));
    }
    return messages;
  }

  private static Instant optionalInstant(Object field) {
    return Replies.asString(field).isEmpty() ? null : Replies.asInstant(field);
  }
}
