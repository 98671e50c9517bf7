package io.kvdb.lua.broker;

import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.List;

/**
 * One broadcast read of several channels, in the order asked; {@code cut} when the read stopped at
 * its byte budget, so channels may have more right away (those after the cut got none).
 */
public record BroadcastRead(boolean cut, List<ChannelRead> channels) {
  public BroadcastRead {
    channels = List.copyOf(channels);
  }

  /** Decodes the reply of broker/read for {@code channels}, in the order they were asked. */
  static BroadcastRead decode(List<String> channels, Object result) {
    ScriptReply reply = ScriptReply.of(result);
    boolean cut = reply.nextFlag();
    List<ChannelRead> reads = new ArrayList<>(channels.size());
    for (String channel : channels) {
      reads.add(ChannelRead.read(channel, reply));
    }
    return new BroadcastRead(cut, reads);
  }
}
