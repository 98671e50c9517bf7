package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Channel;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: the Redis under a loaded gateway is SIGKILLed and restarted on its AOF, or loses its
 * script cache to SCRIPT FLUSH. Nothing acknowledged may be lost, repeats only where at-least-once
 * allows them, no call answered UNKNOWN or INTERNAL, older data intact.
 */
class RedisFaultTest {
  private static final Duration CLAIM_TTL = Duration.ofSeconds(2);

  /**
   * Keys loaded before the kill, so the restart answers LOADING for a while ({@code
   * -Dkvdb.fault.redis-fill-keys}).
   */
  private static final int FILL = Integer.getInteger("kvdb.fault.redis-fill-keys", 500_000);

  @Test
  void redisKilledAndRestartedMidLoadLosesNothingAcknowledged() {
    underLoad(
        "redis-kill",
        FILL,
        redis -> {
          redis.kill();
          redis.start();
        });
  }

  @Test
  void scriptFlushMidLoadLosesNothing() {
    underLoad(
        "script-flush",
        0,
        redis -> assertTrue(redis.answers("SCRIPT FLUSH", "+OK"), "SCRIPT FLUSH refused"));
  }

  private static void underLoad(String scenario, int fill, Consumer<RedisNode> fault) {
    String project = Project.fresh(scenario);
    try (RedisNode redis = RedisNode.launch();
        GatewayNode gateway = GatewayNode.start(redis.uri());
        KvdbClient client =
            KvdbClient.create(
                KvdbClientOptions.newBuilder()
                    .setChannel(gateway.channel())
                    .setProject(project)
                    .build())) {
      Fleet fleet = new Fleet(List.of(gateway), project);
      Channel channel = fleet.channel(0);
      Seed seed = Seed.plant(client, channel);
      redis.fill(fill);
      client.queues().create("work");
      try (QueueLoad load = QueueLoad.start(fleet, "work", CLAIM_TTL)) {
        RedisNode.pause(Figures.LOAD.toMillis());
        load.outcomes().fault();
        fault.accept(redis);
        Scenarios.awaitRecovery(load.outcomes());
        RedisNode.pause(Figures.LOAD.toMillis());
        load.drain(CLAIM_TTL.plus(Figures.DRAIN));

        List<String> lost = load.lost(channel);
        List<String> unexplained = load.deliveries().unexplainedRepeats(CLAIM_TTL, Figures.SLACK);
        List<String> damage = seed.damage(client, channel);
        Figures.print(
            scenario,
            "redis "
                + redis.version()
                + " "
                + load.figures(Figures.SLACK)
                + " lost="
                + lost.size()
                + " seed intact="
                + damage.isEmpty());
        assertAll(
            () -> assertTrue(load.outcomes().recovered(), "no call succeeded after the fault"),
            () -> assertEquals(List.of(), Scenarios.firstFew(lost), "acknowledged posts lost"),
            () ->
                assertEquals(
                    List.of(),
                    Scenarios.firstFew(unexplained),
                    "repeats at-least-once does not allow"),
            () ->
                assertEquals(
                    List.of(), load.outcomes().examples(), "calls answered UNKNOWN or INTERNAL"),
            () -> assertEquals(List.of(), damage, "data created before the fault"),
            () ->
                assertTrue(
                    gateway.serving(),
                    "the gateway no longer serves: " + Scenarios.tail(gateway.log())));
      }
    }
  }
}
