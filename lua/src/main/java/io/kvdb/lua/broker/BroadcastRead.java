package io.kvdb.lua.broker;

import java.util.List;

/**
 * One broadcast read of several channels, in the order asked; {@code cut} when the read stopped
 * at its byte budget, so channels may have more right away (those after the cut got none).
 */
public record BroadcastRead(boolean cut, List<ChannelRead> channels) {
  public BroadcastRead {
    channels = List.copyOf(channels);
  }
}
