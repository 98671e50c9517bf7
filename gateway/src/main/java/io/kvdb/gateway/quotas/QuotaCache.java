package io.kvdb.gateway.quotas;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.kvdb.lua.quotas.QuotaState;
import io.kvdb.lua.quotas.Quotas;
import java.time.Duration;

/**
 * Each project's quota and usage as this gateway last read them. Once older than the refresh
 * interval a snapshot is reread in the background while calls go on using it, so checks cost one
 * Redis read per project and interval and no call waits for it; only a snapshot no call needed for
 * {@link #STALE_INTERVALS} intervals is reread before it is used. A project without a quota is
 * cached too, so its calls pay nothing more.
 */
public final class QuotaCache {
  /** Bounds the memory hostile project ids can take; past it the least used are dropped. */
  private static final int MAX_PROJECTS = 10_000;

  /** How many refresh intervals old a snapshot may be and still be used while it is reread. */
  static final int STALE_INTERVALS = 10;

  private final LoadingCache<String, QuotaState> snapshots;

  public QuotaCache(Quotas quotas, Duration refresh) {
    this.snapshots =
        Caffeine.newBuilder()
            .maximumSize(MAX_PROJECTS)
            .refreshAfterWrite(refresh)
            .expireAfterWrite(refresh.multipliedBy(STALE_INTERVALS))
            .build(quotas::get);
  }

  public QuotaState get(String project) {
    return snapshots.get(project);
  }

  /** Drops what this gateway holds of a project, so that a quota set here applies at once. */
  public void forget(String project) {
    snapshots.invalidate(project);
  }
}
