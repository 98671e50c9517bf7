package io.kvdb.gateway.pools;

import io.kvdb.lua.Keys;
import io.kvdb.lua.claims.ClaimOutcome;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import redis.clients.jedis.resps.Tuple;

/**
 * The routing of a queue's calls while a migration splits it over two pools (a route with {@code
 * from}); a route without one takes exactly the single pool's path. Claims go to the pool holding
 * the older free message, only below the other pool's oldest rank, so FIFO holds across the split;
 * claims never move, so claim calls look in the target, then the source.
 */
public final class SplitQueue {
  private SplitQueue() {}

  /** A claim made, and the claims of the pool it was made in (to release it there). */
  public record Claimed(ClaimOutcome outcome, Claims claims) {}

  public static Claimed claim(
      QueueRouter.Route route,
      QueueRef queue,
      String claimId,
      Duration ttl,
      Duration grace,
      int limit) {
    if (route.from().isEmpty()) {
      Claims claims = route.pool().claims();
      return new Claimed(claims.create(queue, claimId, ttl, grace, limit), claims);
    }
    PoolConnection from = route.from().get();
    CompletableFuture<Long> fromOldest = CompletableFuture.supplyAsync(() -> oldest(from, queue));
    Long poolOldest = oldest(route.pool(), queue);
    Long sourceOldest = fromOldest.join();
    boolean inSource = sourceOldest != null && (poolOldest == null || sourceOldest < poolOldest);
    PoolConnection older = inSource ? from : route.pool();
    Long below = inSource ? poolOldest : sourceOldest;
    Claims claims = older.claims();
    return new Claimed(claims.create(queue, claimId, ttl, grace, limit, below), claims);
  }

  /** A call on a claim: in the pool, else (NOT_FOUND) in the pool the queue comes from. */
  public static <T> T onClaim(QueueRouter.Route route, Function<Claims, T> call) {
    try {
      return call.apply(route.pool().claims());
    } catch (ScriptRefusedException missing) {
      if (missing.reason() != Reason.NOT_FOUND || route.from().isEmpty()) {
        throw missing;
      }
      return call.apply(route.from().get().claims());
    }
  }

  /**
   * Releases the claim in both pools: releasing a claim a pool does not know is no error there, so
   * {@link #onClaim}'s NOT_FOUND fallback would never reach the pool that holds it.
   */
  public static int release(QueueRouter.Route route, QueueRef queue, String claimId) {
    int released = route.pool().claims().release(queue, claimId);
    if (route.from().isPresent()) {
      released += route.from().get().claims().release(queue, claimId);
    }
    return released;
  }

  /** Settles claimed messages wherever their claims are (a claim unknown to a pool is skipped). */
  public static int settle(
      QueueRouter.Route route,
      QueueRef queue,
      boolean acknowledge,
      List<Claims.ClaimedMessage> messages) {
    int settled = route.pool().claims().settle(queue, acknowledge, messages);
    if (route.from().isPresent() && settled < messages.size()) {
      settled += route.from().get().claims().settle(queue, acknowledge, messages);
    }
    return settled;
  }

  /**
   * Deletes messages in both pools, the source first: a free message moving between them is in the
   * source, in its transit (MOVED, retried) or already in the target.
   */
  public static void delete(
      QueueRouter.Route route, QueueRef queue, List<String> ids, String claimId) {
    route.from().ifPresent(from -> from.messages().delete(queue, ids, claimId));
    route.pool().messages().delete(queue, ids, claimId);
  }

  /** The rank of the queue's oldest free message in the pool, null when it has none. */
  static Long oldest(PoolConnection pool, QueueRef queue) {
    List<Tuple> first = pool.redis().zrangeWithScores(Keys.queue(queue) + ":ready", 0, 0);
    return first.isEmpty() ? null : (long) first.get(0).getScore();
  }
}
