package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 6: the primary under loaded queues is SIGKILLed, on a Redis Cluster and under Sentinel,
 * after its replica lagged for {@link ReplicaStall#LENGTH}; the replica is promoted, and the killed
 * server comes back as a replica. Queues of {@code _durability: memory} may lose what was
 * acknowledged just before the kill (Redis replicates asynchronously), so that is counted and
 * printed; queues of {@code _durability: replicated} must lose nothing acknowledged. Either way no
 * call answers UNKNOWN or INTERNAL, posting works again, and the figures say how long posts on the
 * killed primary's queues failed.
 */
class QueueFailoverTest {
  private static final Duration CLAIM_TTL = Duration.ofSeconds(2);
  private static final int QUEUES = 3;

  /** How long the load keeps running on the promoted primary before the killed server returns. */
  private static final Duration AFTER_PROMOTION = Duration.ofMillis(1000);

  static Stream<Arguments> deploymentsAndDurabilities() {
    return Stream.of(ReplicatedRedis.Kind.values())
        .flatMap(kind -> Stream.of("memory", "replicated").map(d -> Arguments.of(kind, d)));
  }

  @ParameterizedTest(name = "{0}, _durability {1}")
  @MethodSource("deploymentsAndDurabilities")
  void primaryKilledMidLoadLosesNothingAcknowledgedWhenReplicated(
      ReplicatedRedis.Kind kind, String durability) {
    String scenario = "failover-" + kind.name().toLowerCase() + "-" + durability;
    String project = Project.fresh(scenario);
    try (ReplicatedRedis redis = kind.start();
        GatewayNode gateway = GatewayNode.start(redis.uri());
        KvdbClient client =
            KvdbClient.create(
                KvdbClientOptions.newBuilder()
                    .setChannel(gateway.channel())
                    .setProject(project)
                    .build())) {
      Map<String, Integer> primaryByQueue = queuesOverThePrimaries(redis, project);
      primaryByQueue
          .keySet()
          .forEach(queue -> client.queues().create(queue, Map.of("_durability", durability)));
      int victim = primaryByQueue.values().iterator().next();
      Fleet fleet = new Fleet(List.of(gateway), project);
      List<QueueLoad> loads = new ArrayList<>();
      try {
        primaryByQueue
            .keySet()
            .forEach(queue -> loads.add(QueueLoad.start(fleet, queue, CLAIM_TTL)));
        List<QueueLoad> onVictim =
            loads.stream().filter(load -> primaryByQueue.get(load.queue()) == victim).toList();
        RedisNode.pause(Figures.LOAD.toMillis());
        ReplicatedRedis.Failover failover =
            redis.killLaggingPrimary(victim, () -> loads.forEach(QueueLoad::fault));
        RedisNode.pause(AFTER_PROMOTION.toMillis());
        redis.startAgain(victim);
        onVictim.forEach(load -> Scenarios.awaitRecovery(load.posts()));
        RedisNode.pause(Figures.LOAD.toMillis());
        CompletableFuture.allOf(
                loads.stream()
                    .map(
                        load ->
                            CompletableFuture.runAsync(
                                () -> load.drain(CLAIM_TTL.plus(Figures.DRAIN))))
                    .toArray(CompletableFuture[]::new))
            .join();

        List<String> lost = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (QueueLoad load : loads) {
          lost.addAll(load.lost(fleet.channel(0)));
          unexplained.addAll(load.deliveries().unexplainedRepeats(CLAIM_TTL, Figures.SLACK));
          bad.addAll(load.outcomes().examples());
        }
        long postRecovery =
            onVictim.stream().mapToLong(load -> load.posts().recoveryMillis()).min().orElse(-1);
        Figures.print(
            scenario,
            redis.description()
                + " replica stalled ms before the kill="
                + ReplicaStall.LENGTH.toMillis()
                + " queues="
                + loads.size()
                + " on the killed primary="
                + onVictim.size()
                + " acknowledged messages="
                + loads.stream().mapToInt(QueueLoad::acknowledgedPosts).sum()
                + " acknowledged lost="
                + lost.size()
                + " delivered="
                + loads.stream().mapToInt(load -> load.deliveries().messages()).sum()
                + " repeats="
                + loads.stream().mapToLong(load -> load.deliveries().repeats()).sum()
                + " unexplained repeats="
                + unexplained.size()
                + " UNKNOWN/INTERNAL="
                + loads.stream().mapToLong(load -> load.outcomes().unknownOrInternal()).sum()
                + " promoted after ms="
                + failover.promotedAfterMillis()
                + " posts on the killed primary's queues recovered after ms="
                + postRecovery
                + " statuses there="
                + onVictim.get(0).outcomes().summary());
        assertAll(
            () ->
                onVictim.forEach(
                    load ->
                        assertTrue(
                            load.posts().recovered(),
                            "no post on " + load.queue() + " succeeded after the failover")),
            () -> {
              if (durability.equals("replicated")) {
                assertEquals(List.of(), Scenarios.firstFew(lost), "acknowledged messages lost");
                assertEquals(
                    List.of(),
                    Scenarios.firstFew(unexplained),
                    "acknowledged deletes undone: messages delivered again after their delete");
              }
            },
            () -> assertEquals(List.of(), bad, "calls answered UNKNOWN or INTERNAL"),
            () ->
                assertTrue(
                    gateway.serving(),
                    "the gateway no longer serves: " + Scenarios.tail(gateway.log())));
      } finally {
        loads.forEach(QueueLoad::close);
      }
    }
  }

  /**
   * {@value #QUEUES} fresh queue names, by the primary serving each now: one on each primary first
   * (the first on the primary the scenario kills), the rest wherever they fall.
   */
  private static Map<String, Integer> queuesOverThePrimaries(
      ReplicatedRedis redis, String project) {
    Map<Integer, String> firstByPrimary = new LinkedHashMap<>();
    Map<String, Integer> primaryByQueue = new LinkedHashMap<>();
    for (int i = 0; primaryByQueue.size() < QUEUES; i++) {
      String queue = "work-" + i;
      int primary = redis.primaryOf(Keys.queue(new QueueRef(project, queue)));
      boolean spreads = firstByPrimary.putIfAbsent(primary, queue) == null;
      if (spreads || firstByPrimary.size() == redis.primaries()) {
        primaryByQueue.put(queue, primary);
      }
    }
    return primaryByQueue;
  }
}
