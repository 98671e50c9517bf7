package io.kvdb.lua.broker;

import java.util.List;

/**
 * What a broadcast read found on one channel: the messages after the cursor it read from, and
 * whether retention had already trimmed messages the reader never got.
 */
public record ChannelRead(String channel, String readAfter, boolean missed, List<BrokerMessage> messages) {
  public ChannelRead {
    messages = List.copyOf(messages);
  }
}
