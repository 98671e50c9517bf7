package io.kvdb.gateway.quotas;

import io.kvdb.lua.quotas.QuotaState;
import io.kvdb.lua.quotas.Quotas;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each project's quota and usage as this gateway last read them, reread once older than the refresh
 * interval: checks cost one Redis read per project and interval, not one per call. A project
 * without a quota is cached too, so its calls pay nothing more.
 */
public final class QuotaCache {
  /** Bounds the memory hostile project ids can take; past it the cache starts afresh. */
  private static final int MAX_PROJECTS = 10_000;

  private final Quotas quotas;
  private final long refreshNanos;
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

  private record Snapshot(QuotaState state, long readAtNanos) {}

  public QuotaCache(Quotas quotas, Duration refresh) {
    this.quotas = quotas;
    this.refreshNanos = refresh.toNanos();
  }

  public QuotaState get(String project) {
    long now = System.nanoTime();
    Snapshot snapshot = snapshots.get(project);
    if (snapshot != null && now - snapshot.readAtNanos() < refreshNanos) {
      return snapshot.state();
    }
    if (snapshots.size() >= MAX_PROJECTS) {
      snapshots.clear();
    }
    QuotaState state = quotas.get(project);
    snapshots.put(project, new Snapshot(state, now));
    return state;
  }

  /** Drops what this gateway holds of a project, so that a quota set here applies at once. */
  public void forget(String project) {
    snapshots.remove(project);
  }
}
