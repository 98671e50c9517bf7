package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import io.grpc.StatusRuntimeException;
import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.AcquireLockResponse;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.ReleaseLockRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: clients contend for one lock through two gateways while one gateway is SIGKILLed and
 * then Redis is SIGKILLed and restarted. Each holder logs its fence and the time it held the lease;
 * no two holders' leases may overlap and fences rise in the order of holding.
 */
class LockFaultTest {
  private static final int CLIENTS = 4;
  private static final int MAX_ATTEMPTS = 2_000;
  private static final java.time.Duration LEASE = java.time.Duration.ofMillis(500);

  /**
   * One holding: from the moment the holder learnt it had the lock until it let go or the lease ran
   * out.
   */
  record Holding(long fence, long startMillis, long endMillis, String client) {}

  @Test
  void noTwoHoldersOverlapAndFencesRiseAcrossAGatewayKillAndARedisRestart() {
    String project = Project.fresh("locks");
    try (RedisNode redis = RedisNode.launch()) {
      List<GatewayNode> gateways = GatewayNode.startAll(redis.uri(), 2);
      try (GatewayNode victim = gateways.get(0);
          GatewayNode survivor = gateways.get(1)) {
        Fleet fleet = new Fleet(gateways, project);
        Outcomes outcomes = new Outcomes();
        ConcurrentLinkedQueue<Holding> log = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENTS);
        AtomicBoolean stop = new AtomicBoolean();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
          int index = i;
          clients.add(
              CompletableFuture.runAsync(
                  () -> contend(fleet, index, outcomes, log, stop::get), threads));
        }
        try {
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
          stop.set(true);
          CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
              .orTimeout(30, TimeUnit.SECONDS)
              .join();

          List<Holding> holdings =
              log.stream()
                  .filter(h -> h.endMillis() > h.startMillis())
                  .sorted(Comparator.comparingLong(Holding::startMillis))
                  .toList();
          List<String> overlaps = overlaps(holdings);
          List<String> outOfOrder = fencesOutOfOrder(holdings);
          Figures.print(
              "locks",
              "redis "
                  + redis.version()
                  + " holdings="
                  + holdings.size()
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
                  assertTrue(
                      outcomes.recovered(), "no lock call succeeded after the Redis restart"),
              () ->
                  assertEquals(
                      List.of(),
                      Scenarios.firstFew(overlaps),
                      "holders with overlapping unexpired leases"),
              () -> assertEquals(List.of(), Scenarios.firstFew(outOfOrder), "fences out of order"),
              () ->
                  assertEquals(
                      List.of(), outcomes.examples(), "calls answered UNKNOWN or INTERNAL"),
              () -> assertTrue(survivor.serving(), "the surviving gateway no longer serves"));
        } finally {
          stop.set(true);
          threads.shutdownNow();
        }
      }
    }
  }

  /**
   * Acquire (waiting a little), hold briefly, release; on an unreachable gateway move to the next.
   */
  private static void contend(
      Fleet fleet,
      int index,
      Outcomes outcomes,
      ConcurrentLinkedQueue<Holding> log,
      BooleanSupplier stop) {
    int gateway = index;
    AcquireLockRequest acquire =
        AcquireLockRequest.newBuilder()
            .setName("contended")
            .setTtl(Duration.newBuilder().setNanos((int) LEASE.toNanos()))
            .setWaitTimeout(Duration.newBuilder().setNanos(300_000_000))
            .setOwnerLabel("client-" + index)
            .build();
    for (int attempt = 0; !stop.getAsBoolean() && attempt < MAX_ATTEMPTS; attempt++) {
      LockServiceGrpc.LockServiceBlockingStub locks =
          LockServiceGrpc.newBlockingStub(fleet.channel(gateway));
      long start = System.nanoTime();
      AcquireLockResponse response;
      try {
        response = locks.withDeadlineAfter(2, TimeUnit.SECONDS).acquire(acquire);
        outcomes.ok(start);
      } catch (StatusRuntimeException failure) {
        outcomes.failed("Acquire", failure);
        gateway = Fleet.next(gateway, failure);
        RedisNode.pause(20);
        continue;
      }
      if (!response.getAcquired()) {
        continue;
      }
      long heldFrom = System.currentTimeMillis();
      var expires = response.getHandle().getExpiresAt();
      long expiresMillis = expires.getSeconds() * 1000 + expires.getNanos() / 1_000_000;
      RedisNode.pause(ThreadLocalRandom.current().nextLong(20));
      long letGo = Math.min(System.currentTimeMillis(), expiresMillis);
      log.add(new Holding(response.getHandle().getFence(), heldFrom, letGo, "client-" + index));
      start = System.nanoTime();
      try {
        locks
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .release(
                ReleaseLockRequest.newBuilder()
                    .setName("contended")
                    .setToken(response.getHandle().getToken())
                    .build());
        outcomes.ok(start);
      } catch (StatusRuntimeException failure) {
        outcomes.failed("Release", failure);
        gateway = Fleet.next(gateway, failure);
      }
    }
  }

  /** Holdings (sorted by start) that began before an earlier one had ended. */
  private static List<String> overlaps(List<Holding> holdings) {
    List<String> overlaps = new ArrayList<>();
    Holding latest = null;
    for (Holding holding : holdings) {
      if (latest != null && holding.startMillis() < latest.endMillis()) {
        overlaps.add(holding + " began while " + latest + " held");
      }
      if (latest == null || holding.endMillis() > latest.endMillis()) {
        latest = holding;
      }
    }
    return overlaps;
  }

  private static List<String> fencesOutOfOrder(List<Holding> holdings) {
    List<String> outOfOrder = new ArrayList<>();
    for (int i = 1; i < holdings.size(); i++) {
      if (holdings.get(i).fence() <= holdings.get(i - 1).fence()) {
        outOfOrder.add(holdings.get(i) + " after " + holdings.get(i - 1));
      }
    }
    return outOfOrder;
  }
}
