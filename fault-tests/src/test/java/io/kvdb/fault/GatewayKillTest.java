package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2: one of two gateways on one Redis is SIGKILLed while producers post and consumers hold
 * messages through Consume streams and claims on both. What the dead gateway's streams held comes
 * back once their claims lapse; nothing acknowledged is lost.
 */
class GatewayKillTest {
  private static final Duration CLAIM_TTL = Duration.ofSeconds(2);

  @Test
  void oneOfTwoGatewaysKilledMidLoadLosesNothingAcknowledged() {
    String project = Project.fresh("gateway-kill");
    try (RedisNode redis = RedisNode.launch()) {
      List<GatewayNode> gateways = GatewayNode.startAll(redis.uri(), 2);
      GatewayNode victim = gateways.get(0);
      GatewayNode survivor = gateways.get(1);
      try (victim;
          survivor;
          KvdbClient client =
              KvdbClient.create(
                  KvdbClientOptions.newBuilder()
                      .setChannel(survivor.channel())
                      .setProject(project)
                      .build())) {
        Fleet fleet = new Fleet(gateways, project);
        Channel live = fleet.channel(1);
        Seed seed = Seed.plant(client, live);
        client.queues().create("work");
        try (QueueLoad load = QueueLoad.start(fleet, "work", CLAIM_TTL)) {
          RedisNode.pause(Figures.LOAD.toMillis());
          load.outcomes().fault();
          victim.kill();
          Scenarios.awaitRecovery(load.outcomes());
          RedisNode.pause(Figures.LOAD.toMillis());
          load.drain(CLAIM_TTL.plus(Figures.DRAIN));

          List<String> lost = load.lost(live);
          List<String> unexplained = load.deliveries().unexplainedRepeats(CLAIM_TTL, Figures.SLACK);
          List<String> damage = seed.damage(client, live);
          Figures.print(
              "gateway-kill",
              "redis "
                  + redis.version()
                  + " "
                  + load.figures(Figures.SLACK)
                  + " lost="
                  + lost.size()
                  + " seed intact="
                  + damage.isEmpty());
          assertAll(
              () -> assertFalse(victim.alive(), "the killed gateway still runs"),
              () -> assertTrue(load.outcomes().recovered(), "no call succeeded after the kill"),
              () -> assertEquals(List.of(), Scenarios.firstFew(lost), "acknowledged posts lost"),
              () ->
                  assertEquals(
                      List.of(),
                      Scenarios.firstFew(unexplained),
                      "repeats at-least-once does not allow"),
              () ->
                  assertEquals(
                      List.of(), load.outcomes().examples(), "calls answered UNKNOWN or INTERNAL"),
              () -> assertEquals(List.of(), damage, "data created before the kill"),
              () ->
                  assertTrue(
                      survivor.serving(),
                      "the surviving gateway no longer serves: " + Scenarios.tail(survivor.log())));
        }
      }
    }
  }
}
