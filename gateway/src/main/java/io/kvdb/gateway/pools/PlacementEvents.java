package io.kvdb.gateway.pools;

import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.ChannelSubscription;

/**
 * Hears the control Redis's announcements of changed placements ({@code project/queue}) and pools
 * ({@code pool:<name>}), once per gateway: a placement drops its cached entry, a pool rereads the
 * pool list. After a gap (or at first) anything may have changed, so both are refreshed.
 */
public final class PlacementEvents implements ChannelSubscription.Listener {
  private static final String POOL_PREFIX = "pool:";

  private final PoolConnections pools;
  private final QueueRouter router;

  public PlacementEvents(PoolConnections pools, QueueRouter router) {
    this.pools = pools;
    this.router = router;
  }

  @Override
  public void onSubscribed() {
    router.forgetAll();
    pools.refreshSoon();
  }

  @Override
  public void onMessage(String message) {
    if (message.startsWith(POOL_PREFIX)) {
      pools.refreshSoon();
      return;
    }
    int slash = message.indexOf('/');
    if (slash > 0) {
      router.forget(new QueueRef(message.substring(0, slash), message.substring(slash + 1)));
    }
  }
}
