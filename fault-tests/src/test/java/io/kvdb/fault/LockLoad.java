package io.kvdb.fault;

import com.google.protobuf.Duration;
import io.grpc.StatusRuntimeException;
import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.AcquireLockResponse;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.ReleaseLockRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Clients contending for a few lock names through a {@link Fleet}: each acquires its name (waiting
 * a little), holds it briefly and releases it, logging its fence and the time it held the lease as
 * it saw it. From the log it tells which holders of a name overlapped and whether fences rose in
 * the order of holding.
 */
final class LockLoad implements AutoCloseable {
  private static final int MAX_ATTEMPTS = 2_000;

  /**
   * One holding of a lock: from the moment the holder learnt it had the lock until it let go or the
   * lease ran out; {@code askedMillis} is when it sent the acquire.
   */
  record Holding(
      String name, long fence, long askedMillis, long startMillis, long endMillis, String client) {}

  private final Fleet fleet;
  private final java.time.Duration lease;
  private final Outcomes outcomes = new Outcomes();
  private final ConcurrentLinkedQueue<Holding> log = new ConcurrentLinkedQueue<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<CompletableFuture<Void>> clients = new ArrayList<>();
  private volatile boolean stopped;

  private LockLoad(Fleet fleet, java.time.Duration lease) {
    this.fleet = fleet;
    this.lease = lease;
  }

  /** Starts {@code clients} clients, client {@code i} on name {@code i} modulo the names. */
  static LockLoad start(Fleet fleet, List<String> names, int clients, java.time.Duration lease) {
    LockLoad load = new LockLoad(fleet, lease);
    for (int i = 0; i < clients; i++) {
      int index = i;
      String name = names.get(i % names.size());
      load.clients.add(CompletableFuture.runAsync(() -> load.contend(index, name), load.threads));
    }
    return load;
  }

  Outcomes outcomes() {
    return outcomes;
  }

  /** Stops the clients and waits (bounded) until each has let go. */
  void stop() {
    stopped = true;
    CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new))
        .orTimeout(30, TimeUnit.SECONDS)
        .join();
  }

  /** Every holding that lasted, by start. */
  List<Holding> holdings() {
    return log.stream()
        .filter(h -> h.endMillis() > h.startMillis())
        .sorted(Comparator.comparingLong(Holding::startMillis))
        .toList();
  }

  /**
   * Milliseconds from {@code fromMillis} until a client first learnt it held a lock it asked for
   * from then on; -1 if none.
   */
  long firstGrantAfter(long fromMillis) {
    return holdings().stream()
        .filter(holding -> holding.askedMillis() >= fromMillis)
        .mapToLong(holding -> holding.startMillis() - fromMillis)
        .min()
        .orElse(-1);
  }

  /** Holdings that began before an earlier one of the same name had ended. */
  List<String> overlaps() {
    return overlapsOutside(Long.MAX_VALUE, Long.MIN_VALUE);
  }

  /**
   * As {@link #overlaps()}, leaving out those that began from {@code fromMillis} to {@code
   * toMillis}.
   */
  List<String> overlapsOutside(long fromMillis, long toMillis) {
    List<String> overlaps = new ArrayList<>();
    for (List<Holding> holdings : byName()) {
      Holding latest = null;
      for (Holding holding : holdings) {
        boolean inWindow = fromMillis <= holding.startMillis() && holding.startMillis() <= toMillis;
        if (latest != null && holding.startMillis() < latest.endMillis() && !inWindow) {
          overlaps.add(holding + " began while " + latest + " held");
        }
        if (latest == null || holding.endMillis() > latest.endMillis()) {
          latest = holding;
        }
      }
    }
    return overlaps;
  }

  /** Holdings whose fence is not above the fence of the holding of the same name before them. */
  List<String> fencesOutOfOrder() {
    List<String> outOfOrder = new ArrayList<>();
    for (List<Holding> holdings : byName()) {
      for (int i = 1; i < holdings.size(); i++) {
        if (holdings.get(i).fence() <= holdings.get(i - 1).fence()) {
          outOfOrder.add(holdings.get(i) + " after " + holdings.get(i - 1));
        }
      }
    }
    return outOfOrder;
  }

  @Override
  public void close() {
    stopped = true;
    threads.shutdownNow();
  }

  private List<List<Holding>> byName() {
    return holdings().stream()
        .collect(Collectors.groupingBy(Holding::name, LinkedHashMap::new, Collectors.toList()))
        .values()
        .stream()
        .toList();
  }

  /**
   * Acquire (waiting a little), hold briefly, release; on an unreachable gateway move to the next.
   */
  private void contend(int index, String name) {
    int gateway = index;
    String client = "client-" + index;
    AcquireLockRequest acquire =
        AcquireLockRequest.newBuilder()
            .setName(name)
            .setTtl(Duration.newBuilder().setNanos((int) lease.toNanos()))
            .setWaitTimeout(Duration.newBuilder().setNanos(300_000_000))
            .setOwnerLabel(client)
            .build();
    for (int attempt = 0; !stopped && attempt < MAX_ATTEMPTS; attempt++) {
      LockServiceGrpc.LockServiceBlockingStub locks =
          LockServiceGrpc.newBlockingStub(fleet.channel(gateway));
      long start = System.nanoTime();
      long askedMillis = System.currentTimeMillis();
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
      log.add(
          new Holding(name, response.getHandle().getFence(), askedMillis, heldFrom, letGo, client));
      start = System.nanoTime();
      try {
        locks
            .withDeadlineAfter(2, TimeUnit.SECONDS)
            .release(
                ReleaseLockRequest.newBuilder()
                    .setName(name)
                    .setToken(response.getHandle().getToken())
                    .build());
        outcomes.ok(start);
      } catch (StatusRuntimeException failure) {
        outcomes.failed("Release", failure);
        gateway = Fleet.next(gateway, failure);
      }
    }
  }
}
