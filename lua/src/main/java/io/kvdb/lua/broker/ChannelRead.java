package io.kvdb.lua.broker;

import java.util.List;

/**
 * What a broadcast read found on one channel: the messages after the cursor it read from, and,
 * when retention had already trimmed messages the reader never got, the last of those ids
 * (null otherwise): resuming after it gets everything still kept.
 */
public record ChannelRead(String channel, String readAfter, String missedThrough, List<BrokerMessage> messages) {
  public ChannelRead {
    messages = List.copyOf(messages);
  }
}
