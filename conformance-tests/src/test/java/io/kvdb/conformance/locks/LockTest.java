package io.kvdb.conformance.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.kvdb.client.HeldLock;
import io.kvdb.client.KvdbException;
import io.kvdb.client.LockClient;
import io.kvdb.client.LockNotAcquiredException;
import io.kvdb.client.LockOptions;
import io.kvdb.client.PageOptions;
import io.kvdb.conformance.Direct;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.ListLocksRequest;
import io.kvdb.proto.v1.ListLocksResponse;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.ReleaseLockRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases, fences, ownership and waiting, one client at a time. */
class LockTest extends ProjectScopedTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private LockClient locks;

  @BeforeEach
  void locks() {
    locks = kvdb.locks();
  }

  private static LockOptions waitingUpTo(Duration wait) {
    return LockOptions.newBuilder().setMaxWait(wait).build();
  }

  @Test
  void aFreeLockIsTakenAndShownAsHeld() {
    try (HeldLock lock =
        locks.acquire(
            "deploy", LEASE, LockOptions.newBuilder().setOwnerLabel("server-1").build())) {
      assertEquals(1, lock.fence());
      assertTrue(lock.isValid());
      io.kvdb.proto.v1.Lock seen = locks.get("deploy");
      assertTrue(seen.getHeld());
      assertEquals("server-1", seen.getOwnerLabel());
      assertEquals(1, seen.getFence());
      assertEquals(Timestamps.toMillis(seen.getExpiresAt()), lock.expiresAt().toEpochMilli());
    }
    assertFalse(locks.get("deploy").getHeld(), "closing released it");
  }

  @Test
  void aHeldLockIsNotTakenAndTheReplyNamesTheHolder() {
    try (HeldLock held =
        locks.acquire(
            "deploy", LEASE, LockOptions.newBuilder().setOwnerLabel("server-1").build())) {
      assertEquals(Optional.empty(), locks.tryAcquire("deploy", LEASE));
      LockNotAcquiredException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              LockNotAcquiredException.class,
              () -> locks.acquire("deploy", LEASE, waitingUpTo(Duration.ofMillis(200))));
      assertEquals("server-1", refused.current().getOwnerLabel());
      assertEquals(held.fence(), refused.current().getFence());
      assertTrue(refused.current().hasExpiresAt());
    }
  }

  @Test
  void fencesRiseWithEveryAcquisition() {
    long previous = 0;
    for (int i = 0; i < 5; i++) {
      try (HeldLock lock = locks.acquire("counter", LEASE)) {
        assertTrue(lock.fence() > previous);
        previous = lock.fence();
      }
    }
    assertEquals(previous, locks.get("counter").getFence(), "a free lock shows the last fence");
  }

  @Test
  void onlyTheHolderRenewsAndReleases() {
    HeldLock lock = locks.acquire("l", Duration.ofSeconds(1));
    lock.renew(Duration.ofSeconds(60));
    assertTrue(
        Durations.toMillis(
                Timestamps.between(
                    com.google.protobuf.util.Timestamps.now(), locks.get("l").getExpiresAt()))
            > 50_000);
    lock.close();

    Expect.failure(Status.Code.FAILED_PRECONDITION, ErrorReason.NOT_OWNER, () -> lock.renew(LEASE));
    assertFalse(lock.isValid());
  }

  @Test
  void anExpiredLeaseGoesToTheWaiterAndTheOldHolderLosesIt() {
    HeldLock first = locks.acquire("lease", Duration.ofMillis(300));

    long started = System.nanoTime();
    try (HeldLock second = locks.acquire("lease", LEASE, waitingUpTo(Duration.ofSeconds(10)))) {
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertTrue(second.fence() > first.fence());
      assertTrue(waitedMs < 5_000, "woken at the lease's end, not the wait's: " + waitedMs + " ms");

      Expect.failure(
          Status.Code.FAILED_PRECONDITION, ErrorReason.NOT_OWNER, () -> first.renew(LEASE));
      first.close();
      assertTrue(
          locks.get("lease").getHeld(),
          "the old holder's close did not release the new holder's lock");
      assertEquals(second.fence(), locks.get("lease").getFence());
    }
  }

  @Test
  void aWaiterIsWokenByTheReleaseLongBeforeItsTimeoutOrTheLease() throws Exception {
    HeldLock holder = locks.acquire("handoff", LEASE);
    CompletableFuture<HeldLock> waiter =
        locks.acquireAsync("handoff", LEASE, waitingUpTo(Duration.ofSeconds(20)));
    Eventually.holdsFor(
        "the waiter waits while the lock is held", Duration.ofMillis(200), () -> !waiter.isDone());
    assertFalse(waiter.isDone(), "still waiting while the lock is held");

    long released = System.nanoTime();
    holder.close();
    try (HeldLock next = waiter.get(10, TimeUnit.SECONDS)) {
      long wokenMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released);
      assertTrue(wokenMs < 2_000, "woken by the release: " + wokenMs + " ms");
      assertEquals(holder.fence() + 1, next.fence());
    }
  }

  @Test
  void theWatchdogKeepsAShortLeaseAliveUntilClosed() throws Exception {
    List<Throwable> lost = new ArrayList<>();
    try (HeldLock lock =
        locks.acquire(
            "watched",
            Duration.ofMillis(300),
            LockOptions.newBuilder().setWatchdog((which, cause) -> lost.add(cause)).build())) {
      // Two renewals at least: the lease the server holds reaches past twice the 300 ms TTL.
      long acquired = Timestamps.toMillis(locks.get("watched").getAcquireTime());
      Eventually.await(
          "the watchdog renewed the lease twice",
          () -> Timestamps.toMillis(locks.get("watched").getExpiresAt()) > acquired + 600 + 100);
      assertTrue(lock.isValid());
      assertTrue(locks.get("watched").getHeld());
      assertEquals(Optional.empty(), locks.tryAcquire("watched", LEASE));
    }
    assertFalse(locks.get("watched").getHeld());
    assertEquals(List.of(), lost);
  }

  @Test
  void theWatchdogReportsALostLease() throws Exception {
    CompletableFuture<Throwable> lost = new CompletableFuture<>();
    HeldLock lock =
        locks.acquire(
            "stolen",
            Duration.ofMillis(300),
            LockOptions.newBuilder().setWatchdog((which, cause) -> lost.complete(cause)).build());
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(KvdbTarget.address()).usePlaintext().build();
    try {
      // Another process that learned the token releases the lock behind the holder's back.
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
      LockServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .release(
              ReleaseLockRequest.newBuilder().setName("stolen").setToken(lock.token()).build());
    } finally {
      channel.shutdownNow();
    }
    KvdbException cause = (KvdbException) lost.get(5, TimeUnit.SECONDS);
    assertEquals(ErrorReason.NOT_OWNER, cause.reason());
    assertFalse(lock.isValid());
    lock.close();
  }

  @Test
  void listingShowsHeldLocksPageByPage() {
    List<HeldLock> held = new ArrayList<>();
    for (String name : List.of("e", "a", "d", "b", "c")) {
      held.add(locks.acquire(name, LEASE));
    }
    held.get(2).close();

    ListLocksResponse first = locks.list(PageOptions.newBuilder().setPageSize(2).build());
    ListLocksResponse second =
        locks.list(
            PageOptions.newBuilder().setPageSize(2).setPageToken(first.getNextPageToken()).build());

    assertEquals(
        List.of("a", "b"),
        first.getLocksList().stream().map(io.kvdb.proto.v1.Lock::getName).toList());
    assertEquals(
        List.of("c", "e"),
        second.getLocksList().stream().map(io.kvdb.proto.v1.Lock::getName).toList());
    held.forEach(HeldLock::close);
  }

  @Test
  void projectsHaveTheirOwnLocks() {
    try (HeldLock mine = locks.acquire("same-name", LEASE);
        var other = KvdbTarget.newClient();
        HeldLock theirs = other.locks().acquire("same-name", LEASE)) {
      assertEquals(1, mine.fence());
      assertEquals(1, theirs.fence());
    }
  }

  @Test
  void badRequestsNameTheField() {
    Expect.invalid("ttl", () -> locks.acquire("l", Duration.ofMillis(99)));
    Expect.invalid("ttl", () -> locks.acquire("l", Duration.ofDays(2)));
    Expect.invalid("ttl", () -> locks.acquire("l", Duration.ZERO));
    Expect.invalid(
        "wait_timeout",
        () ->
            Direct.call(
                () ->
                    direct()
                        .acquire(
                            acquiring("l").setWaitTimeout(Durations.fromSeconds(360)).build())));
    Expect.invalid("name", () -> locks.acquire("no/slash", LEASE));
    Expect.invalid(
        "owner_label",
        () ->
            Direct.call(
                () -> direct().acquire(acquiring("l").setOwnerLabel("x".repeat(257)).build())));
    Expect.invalid("name", () -> locks.get(""));
    Expect.invalid(
        "page_size",
        () ->
            Direct.call(
                () -> direct().listLocks(ListLocksRequest.newBuilder().setPageSize(1001).build())));
  }

  /** The stub for requests the SDK's options refuse before sending. */
  private LockServiceGrpc.LockServiceBlockingStub direct() {
    return LockServiceGrpc.newBlockingStub(kvdb.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static AcquireLockRequest.Builder acquiring(String name) {
    return AcquireLockRequest.newBuilder()
        .setName(name)
        .setTtl(Durations.fromMillis(LEASE.toMillis()));
  }
}
