package io.kvdb.client;

import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.AcquireLockResponse;
import io.kvdb.proto.v1.GetLockRequest;
import io.kvdb.proto.v1.ListLocksRequest;
import io.kvdb.proto.v1.ListLocksResponse;
import io.kvdb.proto.v1.LockHandle;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.ReleaseLockRequest;
import io.kvdb.proto.v1.RenewLockRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The project's distributed locks.
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

  /** Waits up to {@code options.maxWait()}; {@link LockNotAcquiredException} if it stays held. */
  public HeldLock acquire(String name, Duration ttl, LockOptions options) {
    try {
      return tryAcquireAsync(name, ttl, options).join();
    } catch (CompletionException error) {
      if (error.getCause() instanceof LockNotAcquiredException held) {
        throw held;
      }
      throw KvdbException.from(error.getCause());
    }
  }

  /** One attempt, no waiting: empty when another holds the lock. */
  public Optional<HeldLock> tryAcquire(String name, Duration ttl) {
    return tryAcquire(name, ttl, LockOptions.DEFAULTS.withWait(Duration.ZERO));
  }

  /** Waits up to {@code options.maxWait()}: empty when the lock stayed held. */
  public Optional<HeldLock> tryAcquire(String name, Duration ttl, LockOptions options) {
    try {
      return Optional.of(tryAcquireAsync(name, ttl, options).join());
    } catch (CompletionException error) {
      if (error.getCause() instanceof LockNotAcquiredException) {
        return Optional.empty();
      }
      throw KvdbException.from(error.getCause());
    }
  }

  /**
   * The async form of {@link #acquire(String, Duration, LockOptions)}: completes with the lock,
   * or exceptionally with {@link LockNotAcquiredException} or {@link KvdbException}.
   */
  public CompletableFuture<HeldLock> tryAcquireAsync(String name, Duration ttl, LockOptions options) {
    AcquireLockRequest request = AcquireLockRequest.newBuilder()
        .setName(name)
        .setTtl(ProtoDurations.of(ttl))
        .setWaitTimeout(ProtoDurations.of(options.maxWait()))
        .setOwnerLabel(options.ownerLabel())
        .build();
    long sent = System.nanoTime();
    LockServiceGrpc.LockServiceStub stub = LockServiceGrpc.newStub(client.channel())
        .withDeadlineAfter(options.maxWait().plus(client.deadline()).toNanos(), TimeUnit.NANOSECONDS);
    return Calls.async(stub::acquire, request).thenApply(response -> held(name, ttl, options, response, sent));
  }

  /** The lock as others see it: holder, fence, expiry. */
  public io.kvdb.proto.v1.Lock get(String name) {
    return Calls.blocking(() -> blocking().getLock(GetLockRequest.newBuilder().setName(name).build()));
  }

  /** One page of the project's held locks. */
  public ListLocksResponse list(ListLocksRequest request) {
    return Calls.blocking(() -> blocking().listLocks(request));
  }

  LockHandle renew(String name, String token, Duration ttl) {
    return Calls.blocking(() -> blocking().renew(renewRequest(name, token, ttl)));
  }

  /** The watchdog's renewal: it holds no thread while the reply is on its way. */
  CompletableFuture<LockHandle> renewAsync(String name, String token, Duration ttl) {
    LockServiceGrpc.LockServiceStub stub = client.withDeadline(LockServiceGrpc.newStub(client.channel()));
    return Calls.async(stub::renew, renewRequest(name, token, ttl));
  }

  private static RenewLockRequest renewRequest(String name, String token, Duration ttl) {
    return RenewLockRequest.newBuilder().setName(name).setToken(token).setTtl(ProtoDurations.of(ttl)).build();
  }

  void release(String name, String token) {
    ReleaseLockRequest request = ReleaseLockRequest.newBuilder().setName(name).setToken(token).build();
    Calls.blocking(() -> blocking().release(request));
  }

  private HeldLock held(String name, Duration ttl, LockOptions options, AcquireLockResponse response, long sent) {
    if (!response.getAcquired()) {
      throw new LockNotAcquiredException(response.getCurrent());
    }
    HeldLock lock = new HeldLock(this, name, ttl, response.getHandle(), sent);
    if (options.watchdog() != null) {
      lock.startWatchdog(watchdogs, options.watchdog());
    }
    return lock;
  }

  private LockServiceGrpc.LockServiceBlockingStub blocking() {
    return client.withDeadline(LockServiceGrpc.newBlockingStub(client.channel()));
  }
}
