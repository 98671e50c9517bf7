package io.kvdb.gateway.pools;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.kvdb.lua.pools.Catalogue;
import io.kvdb.lua.pools.Placement;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Finds the pool a queue lives in, without a round trip on the hot path: placements are cached for
 * {@code --catalogue-cache-ms} and reread in the background from half that age on, so a queue in
 * use never waits for the catalogue. An announced change drops the entry on every gateway ({@link
 * #forget}); the cache time bounds how long a gateway that missed it routes by the old placement,
 * and where that is unsafe the source pool refuses with {@code MOVED} ({@link #call}). With no pool
 * besides {@code default} the catalogue is never read.
 */
public final class QueueRouter {
  private static final int MAX_CACHED = 100_000;

  /** Where a queue's calls go: its pool, and while it migrates the pool it comes from. */
  public record Route(PoolConnection pool, Optional<PoolConnection> from) {}

  private final PoolConnections pools;
  private final Catalogue catalogue;
  private final Route defaultRoute;
  private final LoadingCache<QueueRef, Optional<Placement>> placements;

  public QueueRouter(PoolConnections pools, Catalogue catalogue, Duration cacheTime) {
    this.pools = pools;
    this.catalogue = catalogue;
    this.defaultRoute = new Route(pools.defaultPool(), Optional.empty());
    this.placements =
        Caffeine.newBuilder()
            .maximumSize(MAX_CACHED)
            .expireAfterWrite(cacheTime)
            .refreshAfterWrite(cacheTime.dividedBy(2).plusNanos(1))
            .build(catalogue::find);
  }

  /** The control Redis's own pool, which also holds every project's registry of queues. */
  public PoolConnection defaultPool() {
    return pools.defaultPool();
  }

  /** The route of an existing queue (a missing one's is where it would be if placed already). */
  public Route route(QueueRef queue) {
    if (!pools.othersExist()) {
      return defaultRoute;
    }
    return resolve(placements.get(queue));
  }

  /**
   * The route of a queue the caller is about to create: its placement if it has one; {@code
   * default} for a queue that lives there without one (placed before other pools existed); else a
   * new placement among the pools of {@code flavor} (empty for the default flavor), at random by
   * weight.
   */
  public Route placeForCreate(QueueRef queue, String flavor) {
    if (!pools.othersExist()) {
      return defaultRoute;
    }
    Optional<Placement> found = placements.get(queue);
    if (found.isEmpty()) {
      if (pools.defaultPool().queues().exists(queue)) {
        return defaultRoute;
      }
      found = Optional.of(catalogue.place(queue, flavor, ThreadLocalRandom.current().nextDouble()));
      placements.put(queue, found);
    }
    return resolve(found);
  }

  /**
   * Whether a call routed to {@code route} may create the queue there. Not when it would land in
   * {@code default} by the absence of a placement while other pools exist: the queue must be {@link
   * #placeForCreate placed} first.
   */
  public boolean mayCreateIn(Route route) {
    // The one default route instance stands for "no placement"; a placement naming default is
    // resolved to a route of its own.
    return route != defaultRoute || !pools.othersExist();
  }

  /**
   * Runs {@code call} on the queue's route; when the pool refuses with {@code MOVED} (the cached
   * placement was stale), drops it, routes again and runs it once more.
   */
  public <T> T call(QueueRef queue, Function<Route, T> call) {
    try {
      return call.apply(route(queue));
    } catch (ScriptRefusedException refused) {
      if (refused.reason() != Reason.MOVED) {
        throw refused;
      }
      forget(queue);
      return call.apply(route(queue));
    }
  }

  /** The queue was deleted: its placement goes, so that a new queue of its name is placed anew. */
  public void deleted(QueueRef queue) {
    if (pools.othersExist()) {
      catalogue.forget(queue);
    }
    forget(queue);
  }

  /** Drops the cached placement: it changed. */
  public void forget(QueueRef queue) {
    placements.invalidate(queue);
  }

  /** Drops every cached placement: announcements may have been missed. */
  public void forgetAll() {
    placements.invalidateAll();
  }

  private Route resolve(Optional<Placement> placement) {
    if (placement.isEmpty()) {
      return defaultRoute;
    }
    Placement found = placement.get();
    return new Route(pools.get(found.pool()), Optional.ofNullable(found.from()).map(pools::get));
  }
}
