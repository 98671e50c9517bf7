package io.kvdb.lua.broker;

import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.List;

/**
 * What a broadcast read found on one channel: the messages after the cursor it read from, and, when
 * retention had already trimmed messages the reader never got, the last of those ids (null
 * otherwise): resuming after it gets everything still kept.
 */
public record ChannelRead(
    String channel, String readAfter, String missedThrough, List<BrokerMessage> messages) {
  public ChannelRead {
    messages = List.copyOf(messages);
  }

  /**
   * Reads one channel's part of a broker/read reply: the last id trimmed away that the reader never
   * got or '', the id read after, n, then n of id, payload, attributes.
   */
  static ChannelRead read(String channel, ScriptReply reply) {
    String missed = reply.nextString();
    String after = reply.nextString();
    int count = reply.nextInt();
    List<BrokerMessage> messages = new ArrayList<>(count);
    for (int m = 0; m < count; m++) {
      String id = reply.nextString();
      byte[] payload = reply.nextBytes();
      byte[] attributes = reply.nextBytes();
      messages.add(
          new BrokerMessage(channel, id, payload, BrokerMessage.attributes(attributes), 0));
    }
    return new ChannelRead(channel, after, missed.isEmpty() ? null : missed, messages);
  }
}
