package io.kvdb.fault;

import io.grpc.Channel;
import io.grpc.Status;
import java.util.List;

/**
 * The gateways a scenario's clients share, scoped to its project. A client keeps to one gateway and
 * moves to the next when a call says the gateway is unreachable, as a client behind a load balancer
 * would.
 */
final class Fleet {
  private final List<Channel> channels;

  Fleet(List<GatewayNode> gateways, String project) {
    this.channels = gateways.stream().map(node -> Project.scoped(node.channel(), project)).toList();
  }

  Channel channel(int index) {
    return channels.get(Math.floorMod(index, channels.size()));
  }

  /** The index a client uses after {@code failure} on gateway {@code index}. */
  static int next(int index, Throwable failure) {
    Status.Code code = Status.fromThrowable(failure).getCode();
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED
        ? index + 1
        : index;
  }
}
