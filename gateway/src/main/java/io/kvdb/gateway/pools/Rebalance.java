package io.kvdb.gateway.pools;

import io.kvdb.lua.queues.QueueRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The greedy plan over measured loads. A pool's share of the messages is proportional to its
 * weight; its deviation is how far above (positive) or below its share it is. Each move takes a
 * queue from a pool above its share to the pool furthest below, and is made only when it lowers the
 * sum of squared deviations: moving {@code q} messages from {@code a} to {@code b} does exactly
 * when {@code q < dev(a) - dev(b)}. Deviations are kept multiplied by the total weight, so the
 * arithmetic is exact.
 */
final class Rebalance {
  /** A queue and the messages it holds in its pool. */
  record QueueLoad(QueueRef queue, String pool, long messages) {}

  record Move(QueueLoad queue, String target) {}

  /** Each pool's messages before and after the moves, and the moves, largest first. */
  record Plan(Map<String, Long> before, Map<String, Long> after, List<Move> moves) {}

  private Rebalance() {}

  /**
   * @param weights the pools considered and their weights
   * @param queues the queues that may move, each in one of those pools
   */
  static Plan plan(Map<String, Integer> weights, List<QueueLoad> queues, int maxMoves) {
    Map<String, Long> loads = new LinkedHashMap<>();
    Map<String, TreeMap<Long, Deque<QueueLoad>>> bySize = new HashMap<>();
    weights.keySet().forEach(pool -> loads.put(pool, 0L));
    for (QueueLoad queue : queues) {
      loads.merge(queue.pool(), queue.messages(), Long::sum);
      bySize
          .computeIfAbsent(queue.pool(), pool -> new TreeMap<>())
          .computeIfAbsent(queue.messages(), size -> new ArrayDeque<>())
          .add(queue);
    }
    Map<String, Long> before = Map.copyOf(loads);
    long totalWeight = weights.values().stream().mapToLong(Integer::longValue).sum();
    long total = loads.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> deviation = new HashMap<>();
    loads.forEach(
        (pool, load) ->
            deviation.put(
                pool,
                Math.subtractExact(
                    Math.multiplyExact(load, totalWeight),
                    Math.multiplyExact(total, weights.get(pool)))));
    List<Move> moves = new ArrayList<>();
    while (moves.size() < maxMoves && totalWeight > 0) {
      Optional<Move> move = nextMove(weights, bySize, deviation, totalWeight);
      if (move.isEmpty()) {
        break;
      }
      QueueLoad queue = move.get().queue();
      long shift = Math.multiplyExact(queue.messages(), totalWeight);
      deviation.merge(queue.pool(), -shift, Long::sum);
      deviation.merge(move.get().target(), shift, Long::sum);
      loads.merge(queue.pool(), -queue.messages(), Long::sum);
      loads.merge(move.get().target(), queue.messages(), Long::sum);
      moves.add(move.get());
    }
    moves.sort(Comparator.comparingLong((Move m) -> m.queue().messages()).reversed());
    return new Plan(before, Map.copyOf(loads), moves);
  }

  /**
   * To the pool furthest below its share, from the pools above theirs (weight 0 first, then the
   * furthest above): from a pool of weight 0 its largest queue (every move out of one helps), from
   * another the queue that brings the two closest to their shares, the larger on a tie.
   */
  private static Optional<Move> nextMove(
      Map<String, Integer> weights,
      Map<String, TreeMap<Long, Deque<QueueLoad>>> bySize,
      Map<String, Long> deviation,
      long totalWeight) {
    Comparator<String> byDeviation = Comparator.comparingLong(deviation::get);
    Optional<String> lowest =
        weights.keySet().stream().filter(pool -> weights.get(pool) > 0).min(byDeviation);
    if (lowest.isEmpty()) {
      return Optional.empty();
    }
    String target = lowest.get();
    List<String> sources =
        weights.keySet().stream()
            .filter(pool -> !pool.equals(target) && deviation.get(pool) > 0)
            .sorted(
                Comparator.comparing((String pool) -> weights.get(pool) > 0)
                    .thenComparing(byDeviation.reversed()))
            .toList();
    for (String source : sources) {
      TreeMap<Long, Deque<QueueLoad>> sizes = bySize.get(source);
      if (sizes == null || sizes.isEmpty()) {
        continue;
      }
      long gap = deviation.get(source) - deviation.get(target);
      Long size = weights.get(source) == 0 ? sizes.lastKey() : bestFit(sizes, gap, totalWeight);
      if (size != null && Math.multiplyExact(size, totalWeight) < gap) {
        Deque<QueueLoad> same = sizes.get(size);
        QueueLoad queue = same.poll();
        if (same.isEmpty()) {
          sizes.remove(size);
        }
        return Optional.of(new Move(queue, target));
      }
    }
    return Optional.empty();
  }

  /** The size nearest half the gap (which leaves both pools nearest their shares), or null. */
  private static Long bestFit(TreeMap<Long, Deque<QueueLoad>> sizes, long gap, long totalWeight) {
    long half = gap / (2 * totalWeight);
    Long below = sizes.floorKey(half);
    Long above = sizes.higherKey(half);
    if (below == null || above == null) {
      return below == null ? above : below;
    }
    long belowMiss = Math.abs(2 * below * totalWeight - gap);
    long aboveMiss = Math.abs(2 * above * totalWeight - gap);
    return aboveMiss <= belowMiss ? above : below;
  }
}
