package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scenario 7: clients contend for a few lock names through a gateway run with {@code --durability
 * replicated} while the primary holding the project's locks is SIGKILLed, after its replica lagged
 * for {@link ReplicaStall#LENGTH}, on a Redis Cluster and under Sentinel; the killed server comes
 * back as a replica. A lock granted before the kill is on the replica, so fences never go backwards
 * for a name (asserted). Two holders at once are printed; away from the failover there must be
 * none.
 */
class LockFailoverTest {
  private static final List<String> NAMES = List.of("alpha", "beta", "gamma");
  private static final int CLIENTS = 6;
  private static final Duration LEASE = Duration.ofMillis(500);
  private static final Duration AFTER_PROMOTION = Duration.ofMillis(1000);

  @ParameterizedTest(name = "{0}")
  @EnumSource(ReplicatedRedis.Kind.class)
  void fencesNeverGoBackwardsAcrossAFailoverWithReplicatedLocks(ReplicatedRedis.Kind kind) {
    String scenario = "lock-failover-" + kind.name().toLowerCase();
    String project = Project.fresh(scenario);
    try (ReplicatedRedis redis = kind.start();
        GatewayNode gateway =
            GatewayNode.start(redis.uri(), List.of("--durability", "replicated"));
        LockLoad load =
            LockLoad.start(new Fleet(List.of(gateway), project), NAMES, CLIENTS, LEASE)) {
      Outcomes outcomes = load.outcomes();
      int victim = redis.primaryOf(Keys.lockPrefix(project));
      RedisNode.pause(Figures.LOAD.toMillis());
      ReplicatedRedis.Failover failover = redis.killLaggingPrimary(victim, outcomes::fault);
      long killedAt = failover.killedAtMillis();
      RedisNode.pause(AFTER_PROMOTION.toMillis());
      redis.startAgain(victim);
      Scenarios.await(
          "a lock granted after the failover",
          outcomes::summary,
          () -> load.firstGrantAfter(killedAt) >= 0);
      RedisNode.pause(Figures.LOAD.toMillis());
      load.stop();

      long grantedAgain = load.firstGrantAfter(killedAt);
      // Around the failover: from the kill until a lease granted at recovery would have run out.
      long windowEnd = killedAt + grantedAgain + LEASE.toMillis();
      List<String> overlaps = load.overlaps();
      List<String> overlapsAwayFromFailover = load.overlapsOutside(killedAt, windowEnd);
      List<String> outOfOrder = load.fencesOutOfOrder();
      Scenarios.firstFew(overlaps).forEach(overlap -> System.out.println("OVERLAP " + overlap));
      Figures.print(
          scenario,
          redis.description()
              + " replica stalled ms before the kill="
              + ReplicaStall.LENGTH.toMillis()
              + " locks durability replicated names="
              + NAMES.size()
              + " clients="
              + CLIENTS
              + " holdings="
              + load.holdings().size()
              + " overlapping="
              + overlaps.size()
              + " overlapping away from the failover="
              + overlapsAwayFromFailover.size()
              + " fences out of order="
              + outOfOrder.size()
              + " UNKNOWN/INTERNAL="
              + outcomes.unknownOrInternal()
              + " promoted after ms="
              + failover.promotedAfterMillis()
              + " first call OK after ms="
              + outcomes.recoveryMillis()
              + " first lock granted after ms="
              + grantedAgain
              + " statuses="
              + outcomes.summary());
      assertAll(
          () -> assertTrue(grantedAgain >= 0, "no lock granted after the failover"),
          () -> assertEquals(List.of(), Scenarios.firstFew(outOfOrder), "fences out of order"),
          () ->
              assertEquals(
                  List.of(),
                  Scenarios.firstFew(overlapsAwayFromFailover),
                  "holders overlapping away from the failover"),
          () -> assertEquals(List.of(), outcomes.examples(), "calls answered UNKNOWN or INTERNAL"),
          () ->
              assertTrue(
                  gateway.serving(),
                  "the gateway no longer serves: " + Scenarios.tail(gateway.log())));
    }
  }
}
