package io.kvdb.gateway.quotas;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.kvdb.lua.quotas.QuotaState;
import io.kvdb.lua.quotas.Quotas;
import java.time.Duration;

/**
 * Each project's quota and usage as this gateway last read them, reread once older than the refresh
 * interval: checks cost one Redis read per project and interval, not one per call, and the calls
 * that find a snapshot old wait for one read together rather than each making its own. A project
 * without a quota is cached too, so its calls pay nothing more.
 */
public final class QuotaCache {
  /** Bounds the memory hostile project ids can take; past it the least used are dropped. */
  private static final int MAX_PROJECTS = 10_000;

  private final LoadingCache<String, QuotaState> snapshots;

  public QuotaCache(Quotas quotas, Duration refresh) {
    this.snapshots =
        Caffeine.newBuilder()
            .maximumSize(MAX_PROJECTS)
            .expireAfterWrite(refresh)
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
