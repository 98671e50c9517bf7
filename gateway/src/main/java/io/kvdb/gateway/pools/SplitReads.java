package io.kvdb.gateway.pools;

import io.kvdb.lua.messages.MessagePage;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.queues.DatedMessage;
import io.kvdb.lua.queues.QueueCounts;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Pops, lists, gets and stats of a queue that a migration splits over two pools ({@link SplitQueue}
 * for claims); a route without {@code from} takes exactly the single pool's path. Ranks are unique
 * across the split (the source hands out none once marked, the target continues its counter) and a
 * moved message keeps its rank, so FIFO order and list cursors hold across both pools and across
 * the migration's end. A message in the migrator's transit is in neither pool for one step.
 */
public final class SplitReads {
  /** Rounds a pop alternates between the pools (two suffice unless moved ranks interleave). */
  private static final int MAX_POP_ROUNDS = 8;

  private SplitReads() {}

  /**
   * Pops up to {@code count} of the oldest free messages: from the pool holding the older one, only
   * below the other's oldest rank, then from the other, until enough or both are empty.
   */
  public static List<StoredMessage> pop(QueueRouter.Route route, QueueRef queue, int count) {
    if (route.from().isEmpty()) {
      return route.pool().messages().pop(queue, count);
    }
    PoolConnection from = route.from().get();
    List<StoredMessage> popped = new ArrayList<>();
    for (int round = 0; round < MAX_POP_ROUNDS && popped.size() < count; round++) {
      CompletableFuture<Long> fromOldest =
          CompletableFuture.supplyAsync(() -> SplitQueue.oldest(from, queue));
      Long poolOldest = SplitQueue.oldest(route.pool(), queue);
      Long sourceOldest = join(fromOldest);
      if (poolOldest == null && sourceOldest == null) {
        break;
      }
      boolean inSource = sourceOldest != null && (poolOldest == null || sourceOldest < poolOldest);
      PoolConnection older = inSource ? from : route.pool();
      Long below = inSource ? poolOldest : sourceOldest;
      popped.addAll(older.messages().pop(queue, count - popped.size(), below));
      if (below == null) {
        break; // the other pool had nothing free: this one gave all it had
      }
    }
    return popped;
  }

  /**
   * A page merged from both pools by rank. Each pool's page is complete up to its own cursor, so
   * the merged page keeps only messages up to the lower cursor, and continues after it when cut
   * there.
   */
  public static MessagePage list(
      QueueRouter.Route route, Function<PoolConnection, MessagePage> page, int pageSize) {
    if (route.from().isEmpty()) {
      return page.apply(route.pool());
    }
    PoolConnection from = route.from().get();
    CompletableFuture<MessagePage> fromPage = CompletableFuture.supplyAsync(() -> page.apply(from));
    MessagePage poolPage = page.apply(route.pool());
    MessagePage sourcePage = join(fromPage);
    long complete = Long.MAX_VALUE;
    for (MessagePage one : List.of(poolPage, sourcePage)) {
      if (one.continueAfterRank() != null) {
        complete = Math.min(complete, one.continueAfterRank());
      }
    }
    List<StoredMessage> merged = new ArrayList<>(poolPage.messages());
    merged.addAll(sourcePage.messages());
    merged.sort(Comparator.comparingLong(StoredMessage::rank));
    List<StoredMessage> kept = new ArrayList<>(pageSize);
    for (StoredMessage message : merged) {
      if (message.rank() > complete || kept.size() == pageSize) {
        break;
      }
      if (kept.isEmpty() || kept.get(kept.size() - 1).rank() != message.rank()) {
        kept.add(message);
      }
    }
    boolean more = complete != Long.MAX_VALUE || merged.size() > kept.size();
    Long next;
    if (kept.size() == pageSize && more) {
      next = kept.get(kept.size() - 1).rank();
    } else {
      next = complete == Long.MAX_VALUE ? null : complete; // cut short where a pool's page ended
    }
    return new MessagePage(kept, next);
  }

  /**
   * The live messages among {@code ids}, in the order asked, from the source first, then the
   * target: a message moving between them has left the source before the target has it.
   */
  public static List<StoredMessage> get(QueueRouter.Route route, QueueRef queue, List<String> ids) {
    if (route.from().isEmpty()) {
      return route.pool().messages().get(queue, ids);
    }
    Map<String, StoredMessage> found = new HashMap<>();
    route.from().get().messages().get(queue, ids).forEach(m -> found.put(m.id(), m));
    List<String> missing = ids.stream().filter(id -> !found.containsKey(id)).toList();
    if (!missing.isEmpty()) {
      route.pool().messages().get(queue, missing).forEach(m -> found.put(m.id(), m));
    }
    Map<String, StoredMessage> ordered = new LinkedHashMap<>();
    for (String id : ids) {
      StoredMessage message = found.get(id);
      if (message != null) {
        ordered.putIfAbsent(id, message);
      }
    }
    return List.copyOf(ordered.values());
  }

  /**
   * The sum of both pools' counts; the oldest and newest message of either. Messages in the
   * migrator's transit (one step's batch at most) are not counted. {@code NOT_FOUND} only when
   * neither pool holds the queue (the source is gone between the migration's last step and its
   * end).
   */
  public static QueueCounts stats(QueueRouter.Route route, QueueRef queue) {
    if (route.from().isEmpty()) {
      return route.pool().queues().stats(queue);
    }
    PoolConnection from = route.from().get();
    CompletableFuture<Optional<QueueCounts>> fromCounts =
        CompletableFuture.supplyAsync(() -> found(() -> from.queues().stats(queue)));
    Optional<QueueCounts> poolCounts = found(() -> route.pool().queues().stats(queue));
    Optional<QueueCounts> sourceCounts = join(fromCounts);
    if (poolCounts.isEmpty() || sourceCounts.isEmpty()) {
      return poolCounts
          .or(() -> sourceCounts)
          .orElseThrow(() -> new ScriptRefusedException(Reason.NOT_FOUND, "queue does not exist"));
    }
    QueueCounts a = poolCounts.get();
    QueueCounts b = sourceCounts.get();
    Comparator<DatedMessage> byCreation = Comparator.comparing(DatedMessage::createdAt);
    return new QueueCounts(
        a.free() + b.free(),
        a.claimed() + b.claimed(),
        a.delayed() + b.delayed(),
        a.total() + b.total(),
        // On a tie the source's oldest is older, the target's newest newer (ranks say so).
        either(b.oldest(), a.oldest(), byCreation),
        either(a.newest(), b.newest(), byCreation.reversed()));
  }

  /**
   * The first of two by {@code order}, {@code preferred} on a tie, either if only one is present.
   */
  private static Optional<DatedMessage> either(
      Optional<DatedMessage> preferred,
      Optional<DatedMessage> other,
      Comparator<DatedMessage> order) {
    if (preferred.isEmpty() || other.isEmpty()) {
      return preferred.or(() -> other);
    }
    return Optional.of(
        order.compare(preferred.get(), other.get()) <= 0 ? preferred.get() : other.get());
  }

  private static Optional<QueueCounts> found(Supplier<QueueCounts> stats) {
    try {
      return Optional.of(stats.get());
    } catch (ScriptRefusedException missing) {
      if (missing.reason() != Reason.NOT_FOUND) {
        throw missing;
      }
      return Optional.empty();
    }
  }

  /** The result of the other pool's call, its failure as that call's own. */
  private static <T> T join(CompletableFuture<T> call) {
    try {
      return call.join();
    } catch (CompletionException failed) {
      if (failed.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw failed;
    }
  }
}
