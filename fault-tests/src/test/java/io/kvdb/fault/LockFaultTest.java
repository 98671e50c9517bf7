package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: clients contend for one lock through two gateways while one gateway is SIGKILLed and
 * then Redis is SIGKILLed and restarted. Each holder logs its fence and the time it held the lease;
 * no two holders' leases may overlap and fences rise in the order of holding.
 */
class LockFaultTest {
  private static final int CLIENTS = 4;
  private static final Duration LEASE = Duration.ofMillis(500);

  @Test
  void noTwoHoldersOverlapAndFencesRiseAcrossAGatewayKillAndARedisRestart() {
    String project = Project.fresh("locks");
    try (RedisNode redis = RedisNode.launch()) {
      List<GatewayNode> gateways = GatewayNode.startAll(redis.uri(), 2);
      try (GatewayNode victim = gateways.get(0);
          GatewayNode survivor = gateways.get(1);
          LockLoad load =
              LockLoad.start(new Fleet(gateways, project), List.of("contended"), CLIENTS, LEASE)) {
        Outcomes outcomes = load.outcomes();
        RedisNode.pause(Figures.LOAD.toMillis());
        outcomes.fault();
        victim.kill();
        Scenarios.awaitRecovery(outcomes);
        long gatewayRecovery = outcomes.recoveryMillis();
        RedisNode.pause(Figures.LOAD.toMillis());
        outcomes.fault();
        redis.kill();
        redis.start();
        Scenarios.awaitRecovery(outcomes);
        RedisNode.pause(Figures.LOAD.toMillis());
        load.stop();

        List<String> overlaps = load.overlaps();
        List<String> outOfOrder = load.fencesOutOfOrder();
        Figures.print(
            "locks",
            "redis "
                + redis.version()
                + " holdings="
                + load.holdings().size()
                + " overlapping="
                + overlaps.size()
                + " fences out of order="
                + outOfOrder.size()
                + " UNKNOWN/INTERNAL="
                + outcomes.unknownOrInternal()
                + " recovery ms after gateway kill="
                + gatewayRecovery
                + " after redis restart="
                + outcomes.recoveryMillis()
                + " statuses="
                + outcomes.summary());
        assertAll(
            () ->
                assertTrue(outcomes.recovered(), "no lock call succeeded after the Redis restart"),
            () ->
                assertEquals(
                    List.of(),
                    Scenarios.firstFew(overlaps),
                    "holders with overlapping unexpired leases"),
            () -> assertEquals(List.of(), Scenarios.firstFew(outOfOrder), "fences out of order"),
            () ->
                assertEquals(List.of(), outcomes.examples(), "calls answered UNKNOWN or INTERNAL"),
            () -> assertTrue(survivor.serving(), "the surviving gateway no longer serves"));
      }
    }
  }
}
