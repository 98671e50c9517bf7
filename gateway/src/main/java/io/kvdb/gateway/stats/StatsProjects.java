package io.kvdb.gateway.stats;

import java.util.concurrent.atomic.LongAdder;
import io.kvdb.gateway.api.Pages;
import io.kvdb.lua.Keys;
import io.kvdb.lua.stats.Stats;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * The projects that record statistics, for the roll-up job: each gateway registers a project
 * once (the registry lives in another slot than the project's statistics), then rolls them up.
 */
public final class StatsProjects implements Runnable {
  private static final int PAGE = 1000;

  private final UnifiedJedis redis;
  private final Stats stats;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();

  public StatsProjects(UnifiedJedis redis, Stats stats) {
    this.redis = redis;
    this.stats = stats;
  }

  void register(String project) {
    if (registered.add(project)) {
      redis.zadd(Keys.STATS_PROJECTS, 0, project);
    }
  }

  /** Rolls up every service of the project; returns how many buckets were merged. */
  long rollup(String project) {
    LongAdder merged = new LongAdder();
    Pages.eachName((after, size) -> stats.services(project, after, size), PAGE,
        service -> merged.add(stats.rollup(project, service)));
    return merged.sum();
  }

  /** One round of the background job: every project. */
  @Override
  public void run() {
    Pages.eachName((after, size) -> redis.zrangeByLex(Keys.STATS_PROJECTS, after == null ? "-" : "(" + after, "+", 0, size),
        PAGE, this::rollup);
  }
}
