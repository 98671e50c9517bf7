package io.kvdb.lua.messages;

import java.util.List;

/** One page of messages in FIFO order, and the rank to continue after (null at the end). */
public record MessagePage(List<StoredMessage> messages, Long continueAfterRank) {
  public MessagePage {
    messages = List.copyOf(messages);
  }
}
