package io.kvdb.client;

import io.kvdb.proto.v1.RebalancePlan;
import java.util.List;

/**
 * A plan to even out a flavor's pools by stored messages: each pool's messages now and after the
 * moves, and the moves, largest first, for {@code pools().migrate(...)} to carry out one by one.
 * {@code partial} when the gateway stopped reading after {@code queuesExamined} queues.
 */
public record RebalancePlanInfo(
    List<PoolLoad> pools, List<Move> moves, boolean partial, long queuesExamined) {
  public RebalancePlanInfo {
    pools = List.copyOf(pools);
    moves = List.copyOf(moves);
  }

  /** A pool's weight and its messages now and once the moves are made. */
  public record PoolLoad(String pool, int weight, long messages, long plannedMessages) {}

  /** A queue to migrate, with the messages it held when planned. */
  public record Move(
      String project, String queue, String sourcePool, String targetPool, long messages) {}

  static RebalancePlanInfo of(RebalancePlan plan) {
    return new RebalancePlanInfo(
        plan.getPoolsList().stream()
            .map(
                pool ->
                    new PoolLoad(
                        pool.getPool(),
                        pool.getWeight(),
                        pool.getMessages(),
                        pool.getPlannedMessages()))
            .toList(),
        plan.getMovesList().stream()
            .map(
                move ->
                    new Move(
                        move.getProject(),
                        move.getQueue(),
                        move.getSourcePool(),
                        move.getTargetPool(),
                        move.getMessages()))
            .toList(),
        plan.getPartial(),
        plan.getQueuesExamined());
  }
}
