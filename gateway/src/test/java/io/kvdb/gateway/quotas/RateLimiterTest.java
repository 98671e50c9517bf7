package io.kvdb.gateway.quotas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.gateway.api.QuotaExceededException;
import io.kvdb.lua.Keys;
import io.kvdb.lua.quotas.Quota;
import io.kvdb.lua.quotas.Quotas;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The gateway's side of the request-rate bucket: leases, and refusals answered locally. */
@WithRedis
class RateLimiterTest {
  private final String project = "rate-" + UUID.randomUUID();
  private final UnifiedJedis redis;
  private final Quotas quotas;
  private final RateLimiter limiter;

  RateLimiterTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.quotas = new Quotas(redis, scripts);
    this.limiter = new RateLimiter(new QuotaCache(quotas, Duration.ofMillis(10)), quotas);
  }

  private static Quota rate(long perSecond, long burst) {
    return new Quota(0, 0, 0, 0, perSecond, burst);
  }

  /** When Redis last refilled the bucket: it changes on every quotas/take. */
  private String lastTake() {
    return redis.hget(Keys.quota(project), "ts");
  }

  @Test
  void aLeaseIsATenthOfASecondWithinTheBurstAndAtLeastOne() {
    assertEquals(1, RateLimiter.leaseSize(rate(2, 0)));
    assertEquals(100, RateLimiter.leaseSize(rate(1000, 0)));
    assertEquals(20, RateLimiter.leaseSize(rate(1000, 20)));
    assertEquals(100_000, RateLimiter.leaseSize(rate(1_000_000, 10_000_000)));
  }

  @Test
  void callsSpendALeaseWithoutAskingRedis() {
    Quota quota = rate(1000, 1000);
    quotas.set(project, quota);
    limiter.take(project, quota);
    String leased = lastTake();
    for (int i = 1; i < 100; i++) {
      limiter.take(project, quota);
    }
    assertEquals(leased, lastTake(), "the lease of 100 covered them");
    limiter.take(project, quota);
    assertTrue(!leased.equals(lastTake()), "the 101st takes a new lease");
  }

  @Test
  void refusalsBeforeTheNextTokenIsDueCostNoRedisCall() {
    Quota quota = rate(1, 1);
    quotas.set(project, quota);
    limiter.take(project, quota);
    QuotaExceededException first =
        assertThrows(QuotaExceededException.class, () -> limiter.take(project, quota));
    Duration wait = first.retryAfter().orElseThrow();
    assertTrue(wait.compareTo(Duration.ZERO) > 0 && wait.compareTo(Duration.ofSeconds(1)) <= 0);
    String asked = lastTake();
    for (int i = 0; i < 100; i++) {
      QuotaExceededException again =
          assertThrows(QuotaExceededException.class, () -> limiter.take(project, quota));
      assertTrue(again.retryAfter().orElseThrow().compareTo(wait) <= 0, "the wait only shrinks");
    }
    assertEquals(asked, lastTake());
  }
}
