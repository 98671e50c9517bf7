package io.kvdb.client;

import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.AcquireLockResponse;
import io.kvdb.proto.v1.GetLockRequest;
import io.kvdb.proto.v1.ListLocksRequest;
import io.kvdb.proto.v1.ListLocksResponse;
import io.kvdb.proto.v1.Lock;
import io.kvdb.proto.v1.LockHandle;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.ReleaseLockRequest;
import io.kvdb.proto.v1.RenewLockRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The project's distributed locks; each call blocks, and its {@code ...Async} twin returns a {@link
 * CompletableFuture}.
 *
 * <pre>{@code
 * try (HeldLock lock = kvdb.locks().acquire("deploy", Duration.ofSeconds(30))) {
 *   deploy(lock.fence());
 * }
 * }</pre>
 */
public final class LockClient {
  private final KvdbClient client;
  private final ScheduledExecutorService watchdogs;

  LockClient(KvdbClient client, ScheduledExecutorService watchdogs) {
    this.client = client;
    this.watchdogs = watchdogs;
  }

  /** Waits up to 30 s for the lock; {@link LockNotAcquiredException} if it stays held. */
  public HeldLock acquire(String name, Duration ttl) {
    return acquire(name, ttl, LockOptions.DEFAULTS);
  }

  public CompletableFuture<HeldLock> acquireAsync(String name, Duration ttl) {
    return acquireAsync(name, ttl, LockOptions.DEFAULTS);
  }

  /** Waits up to {@code options.maxWait()}; {@link LockNotAcquiredException} if it stays held. */
  public HeldLock acquire(String name, Duration ttl, LockOptions options) {
    return Calls.await(acquireAsync(name, ttl, options));
  }

  /**
   * Completes with the lock, or exceptionally with {@link LockNotAcquiredException} (it stayed
   * held) or {@link KvdbException}.
   */
  public CompletableFuture<HeldLock> acquireAsync(String name, Duration ttl, LockOptions options) {
    AcquireLockRequest request =
        AcquireLockRequest.newBuilder()
            .setName(name)
            .setTtl(ProtoDurations.of(ttl))
            .setWaitTimeout(ProtoDurations.of(options.maxWait()))
            .setOwnerLabel(options.ownerLabel())
            .build();
    long sent = System.nanoTime();
    LockServiceGrpc.LockServiceStub stub =
        client.unaryStub(LockServiceGrpc.newStub(client.channel()), options.maxWait());
    return Calls.unary(stub::acquire, request)
        .thenApply(response -> held(name, ttl, options, response, sent));
  }

  /** One attempt, no waiting: empty when another holds the lock. */
  public Optional<HeldLock> tryAcquire(String name, Duration ttl) {
    return Calls.await(tryAcquireAsync(name, ttl));
  }

  public CompletableFuture<Optional<HeldLock>> tryAcquireAsync(String name, Duration ttl) {
    return tryAcquireAsync(name, ttl, LockOptions.newBuilder().setMaxWait(Duration.ZERO).build());
  }

  /** Waits up to {@code options.maxWait()}: empty when the lock stayed held. */
  public Optional<HeldLock> tryAcquire(String name, Duration ttl, LockOptions options) {
    return Calls.await(tryAcquireAsync(name, ttl, options));
  }

  public CompletableFuture<Optional<HeldLock>> tryAcquireAsync(
      String name, Duration ttl, LockOptions options) {
    return acquireAsync(name, ttl, options)
        .handle(
            (lock, failure) -> {
              if (failure == null) {
                return Optional.of(lock);
              }
              Throwable cause =
                  failure instanceof CompletionException ? failure.getCause() : failure;
              if (cause instanceof LockNotAcquiredException) {
                return Optional.empty();
              }
              throw KvdbException.from(cause);
            });
  }

  /** The lock as others see it: holder, fence, expiry. */
  public Lock get(String name) {
    return Calls.await(getAsync(name));
  }

  public CompletableFuture<Lock> getAsync(String name) {
    return Calls.unary(stub()::getLock, GetLockRequest.newBuilder().setName(name).build());
  }

  /** One page of the project's held locks, in name order. */
  public ListLocksResponse list(PageOptions page) {
    return Calls.await(listAsync(page));
  }

  public CompletableFuture<ListLocksResponse> listAsync(PageOptions page) {
    ListLocksRequest request =
        ListLocksRequest.newBuilder()
            .setPageSize(page.pageSize())
            .setPageToken(page.pageToken())
            .build();
    return Calls.unary(stub()::listLocks, request);
  }

  /** The renewal of a held lock: it holds no thread while the reply is on its way. */
  CompletableFuture<LockHandle> renewAsync(String name, String token, Duration ttl) {
    RenewLockRequest request =
        RenewLockRequest.newBuilder()
            .setName(name)
            .setToken(token)
            .setTtl(ProtoDurations.of(ttl))
            .build();
    return Calls.unary(stub()::renew, request);
  }

  CompletableFuture<Void> releaseAsync(String name, String token) {
    ReleaseLockRequest request =
        ReleaseLockRequest.newBuilder().setName(name).setToken(token).build();
    return Calls.unary(stub()::release, request).thenApply(empty -> null);
  }

  private HeldLock held(
      String name, Duration ttl, LockOptions options, AcquireLockResponse response, long sent) {
    if (!response.getAcquired()) {
      throw new LockNotAcquiredException(response.getCurrent());
    }
    HeldLock lock = new HeldLock(this, name, ttl, response.getHandle(), sent);
    options.watchdog().ifPresent(onLost -> lock.startWatchdog(watchdogs, onLost));
    return lock;
  }

  private LockServiceGrpc.LockServiceStub stub() {
    return client.unaryStub(LockServiceGrpc.newStub(client.channel()));
  }
}
