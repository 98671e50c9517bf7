package io.kvdb.lua.quotas;

import static io.kvdb.lua.Keys.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.UnifiedJedis;

/** The quota record, its token bucket and the exact queue admission. */
@WithRedis
class QuotasTest {
  private final String project = "quota-" + UUID.randomUUID();
  private final ScriptRegistry scripts;
  private final Quotas quotas;

  QuotasTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.scripts = scripts;
    this.quotas = new Quotas(redis, scripts);
  }

  private static Quota rate(long perSecond, long burst) {
    return new Quota(0, 0, 0, 0, perSecond, burst);
  }

  @Test
  void withoutARateQuotaEveryTokenAskedForIsGranted() {
    assertEquals(new Tokens(1_000_000, 0), quotas.take(project, 1_000_000));
  }

  @Test
  void theBucketStartsFullGrantsItsBurstAndSaysWhenTheNextTokenComes() {
    quotas.set(project, rate(10, 5));
    assertEquals(5, quotas.take(project, 100).granted());
    Tokens none = quotas.take(project, 1);
    assertEquals(0, none.granted());
    assertTrue(none.waitMs() > 0 && none.waitMs() <= 100, "a token every 100 ms: " + none);
  }

  @Test
  void theBucketRefillsAtTheRateUpToTheBurst() throws InterruptedException {
    quotas.set(project, rate(1000, 3));
    assertEquals(3, quotas.take(project, 3).granted());
    Eventually.await("a token comes back", () -> quotas.take(project, 1).granted() == 1);
    Thread.sleep(50); // 50 tokens' worth at this rate
    assertEquals(3, quotas.take(project, 100).granted(), "it holds no more than its burst");
  }

  @Test
  void zeroBurstIsOneSecondsWorth() {
    quotas.set(project, rate(7, 0));
    assertEquals(7, quotas.take(project, 100).granted());
  }

  @Test
  void hugeLimitsStayExact() {
    quotas.set(project, rate(1_000_000, 10_000_000));
    assertEquals(1_000_000, quotas.take(project, 1_000_000).granted());
    assertEquals(1_000_000, quotas.take(project, 1_000_000).granted());
  }

  @Test
  void aNewRateStartsFromAFullBucketAndRemovingItStopsCounting() {
    quotas.set(project, rate(1, 1));
    assertEquals(1, quotas.take(project, 1).granted());
    assertEquals(0, quotas.take(project, 1).granted());
    quotas.set(project, rate(1, 2));
    assertEquals(2, quotas.take(project, 5).granted());
    quotas.set(project, Quota.NONE);
    assertEquals(5, quotas.take(project, 5).granted());
    assertEquals(Quota.NONE, quotas.get(project).quota());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1.5", "nan", "inf", "-inf", "1e308", "1000001", "abc", ""})
  void wantedMustBeASmallPositiveIntegerAnythingElseIsABug(String wanted) {
    quotas.set(project, rate(10, 10));
    ScriptRefusedException refused =
        assertThrows(
            ScriptRefusedException.class,
            () ->
                scripts.call(
                    Script.QUOTAS_TAKE,
                    List.of(bytes(Keys.quota(project))),
                    List.of(bytes(wanted))));
    assertEquals(Reason.INTERNAL, refused.reason());
    assertEquals(10, quotas.take(project, 100).granted(), "a refused take takes nothing");
  }

  @Test
  void queuesAreAdmittedExactlyUpToTheQuotaAndAListedOneAlways() {
    quotas.set(project, new Quota(2, 0, 0, 0, 0, 0));
    assertTrue(quotas.admitQueue(new QueueRef(project, "a")));
    assertTrue(quotas.admitQueue(new QueueRef(project, "b")));
    ScriptRefusedException refused =
        assertThrows(
            ScriptRefusedException.class, () -> quotas.admitQueue(new QueueRef(project, "c")));
    assertEquals(Reason.QUOTA, refused.reason());
    assertTrue(refused.getMessage().startsWith("max_queues "), refused.getMessage());
    assertFalse(quotas.admitQueue(new QueueRef(project, "a")), "already listed");
    assertEquals(2, quotas.get(project).usage().queues());
  }

  @Test
  void getReportsLimitsAndTheCollectorsUsage() {
    Quota quota = new Quota(1, 2, 3, 4, 5, 6);
    quotas.set(project, quota);
    quotas.recordUsage(project, 10, 20, 1234);
    QuotaState state = quotas.get(project);
    assertEquals(quota, state.quota());
    assertEquals(new QuotaUsage(0, 0, 10, 20, 1234), state.usage());
  }
}
