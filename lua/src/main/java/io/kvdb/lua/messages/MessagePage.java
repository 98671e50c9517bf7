package io.kvdb.lua.messages;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.List;

/** One page of messages in FIFO order, and the rank to continue after (null at the end). */
public record MessagePage(List<StoredMessage> messages, Long continueAfterRank) {
  public MessagePage {
    messages = List.copyOf(messages);
  }

  /** Decodes the reply of messages/list. */
  static MessagePage decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    Instant now = reply.nextInstant();
    String cursorRank = reply.nextString();
    return new MessagePage(
        MessageReplies.readAll(reply, now),
        cursorRank.isEmpty() ? null : Long.parseLong(cursorRank));
  }
}
