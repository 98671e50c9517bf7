package io.kvdb.lua.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Admin;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The lock scripts, called directly. */
@WithRedis
class LocksTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private final String project = "locks-" + UUID.randomUUID();
  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;
  private final Locks locks;

  LocksTest(@Admin UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
    this.locks = new Locks(scripts);
  }

  private LockRef lock(String name) {
    return new LockRef(project, name);
  }

  @Test
  void aFreeLockIsTakenWithTheFirstFenceAndALeaseThatRedisEnforces() {
    Acquisition taken = locks.acquire(lock("deploy"), "t1", LEASE, "worker-1");

    assertTrue(taken.acquired());
    assertEquals(1, taken.lock().fence());
    assertEquals("worker-1", taken.lock().ownerLabel());
    assertEquals(LEASE, Duration.between(taken.lock().acquiredAt(), taken.lock().expiresAt()));
    long pttl = redis.pttl(Keys.lock(lock("deploy")));
    assertTrue(pttl > 29_000 && pttl <= 30_000, "key expires with the lease: " + pttl);
  }

  @Test
  void aHeldLockIsRefusedWithItsHolder() {
    locks.acquire(lock("deploy"), "t1", LEASE, "worker-1");

    Acquisition refused = locks.acquire(lock("deploy"), "t2", LEASE, "worker-2");

    assertFalse(refused.acquired());
    assertEquals("worker-1", refused.lock().ownerLabel());
    assertEquals(1, refused.lock().fence());
    assertTrue(refused.leaseLeft().compareTo(Duration.ZERO) > 0);
    assertTrue(refused.leaseLeft().compareTo(LEASE) <= 0);
  }

  @Test
  void fencesRiseAcrossReleasesAndExpiries() throws InterruptedException {
    assertEquals(1, locks.acquire(lock("l"), "t1", LEASE, "").lock().fence());
    locks.release(lock("l"), "t1", "x");
    assertEquals(2, locks.acquire(lock("l"), "t2", Duration.ofMillis(30), "").lock().fence());
    Eventually.await("the 30 ms lease expires", () -> !redis.exists(Keys.lock(lock("l"))));
    assertEquals(3, locks.acquire(lock("l"), "t3", LEASE, "").lock().fence());
    assertEquals(
        1, locks.acquire(lock("other"), "t4", LEASE, "").lock().fence(), "fences are per name");
  }

  @Test
  void namesNoLongerUsedAreForgottenWhileTheirFencesKeepRising() {
    Locks forgetful = new Locks(scripts, Duration.ofMillis(1), Durability.IN_MEMORY);
    long before = forgetful.acquire(lock("returning"), "t", LEASE, "").lock().fence();
    forgetful.release(lock("returning"), "t", "x");
    for (int i = 0; i < 300; i++) {
      forgetful.acquire(lock("once-" + i), "t", LEASE, "");
      forgetful.release(lock("once-" + i), "t", "x");
    }
    Eventually.await(
        "what the lock names left behind shrinks",
        () -> {
          forgetful.acquire(lock("probe"), "t", LEASE, "");
          forgetful.release(lock("probe"), "t", "x");
          return remembered() <= 10;
        });

    long after = forgetful.acquire(lock("returning"), "t", LEASE, "").lock().fence();
    assertTrue(
        after > before, "a forgotten name's fence still rises: " + before + " then " + after);
  }

  /** Members of every lock structure the project has in Redis. */
  private long remembered() {
    long members = 0;
    ScanParams match = new ScanParams().match("kvdb:lock:{" + project + "}*").count(1000);
    String cursor = ScanParams.SCAN_POINTER_START;
    do {
      ScanResult<String> page = redis.scan(cursor, match);
      for (String key : page.getResult()) {
        members +=
            switch (redis.type(key)) {
              case "hash" -> redis.hlen(key);
              case "zset" -> redis.zcard(key);
              default -> 1;
            };
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    return members;
  }

  @Test
  void onlyTheHolderRenewsOrReleases() {
    locks.acquire(lock("l"), "mine", LEASE, "me");

    assertEquals(
        Reason.NOT_OWNER,
        assertThrows(ScriptRefusedException.class, () -> locks.renew(lock("l"), "theirs", LEASE))
            .reason());
    assertEquals(
        Reason.NOT_OWNER,
        assertThrows(ScriptRefusedException.class, () -> locks.release(lock("l"), "theirs", "x"))
            .reason());
    assertTrue(locks.get(lock("l")).held());

    assertEquals(1, locks.release(lock("l"), "mine", "x"));
    assertFalse(locks.get(lock("l")).held());
    assertEquals(
        Reason.NOT_OWNER,
        assertThrows(ScriptRefusedException.class, () -> locks.release(lock("l"), "mine", "x"))
            .reason(),
        "a second release finds the lock no longer held by the token");
  }

  @Test
  void renewMovesTheExpiryAndTheKeysLife() {
    locks.acquire(lock("l"), "mine", Duration.ofSeconds(1), "me");
    locks.renew(lock("l"), "mine", Duration.ofSeconds(60));
    assertTrue(redis.pttl(Keys.lock(lock("l"))) > 59_000);
    LockState state = locks.get(lock("l"));
    Duration span = Duration.between(state.acquiredAt(), state.expiresAt());
    assertTrue(
        span.compareTo(Duration.ofSeconds(60)) >= 0 && span.compareTo(Duration.ofSeconds(61)) < 0,
        span::toString);
  }

  @Test
  void aFreeLockShowsTheLastFenceIssued() {
    assertEquals(LockState.free("never", 0), locks.get(lock("never")));
    locks.acquire(lock("once"), "t", LEASE, "");
    locks.release(lock("once"), "t", "x");
    LockState free = locks.get(lock("once"));
    assertFalse(free.held());
    assertEquals(1, free.fence());
    assertNull(free.expiresAt());
  }

  @Test
  void listingShowsHeldLocksInNameOrderAndForgetsExpiredOnes() throws InterruptedException {
    for (String name : List.of("c", "a", "b", "d")) {
      locks.acquire(lock(name), "t-" + name, LEASE, name);
    }
    locks.acquire(lock("bb"), "t-bb", Duration.ofMillis(20), "bb");
    locks.release(lock("d"), "t-d", "x");
    Eventually.await("the 20 ms lease of bb expires", () -> !redis.exists(Keys.lock(lock("bb"))));

    LockPage first = locks.list(project, null, 2);
    LockPage second = locks.list(project, first.continueAfter(), 2);

    assertEquals(List.of("a", "b"), first.locks().stream().map(LockState::name).toList());
    assertEquals(List.of("c"), second.locks().stream().map(LockState::name).toList());
    assertNull(second.continueAfter());
    assertEquals(
        List.of("a", "b", "c"),
        redis.zrange(Keys.lockNames(project), 0, -1),
        "the expired name was pruned on the way");
  }
}
