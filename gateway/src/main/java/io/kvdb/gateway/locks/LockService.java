package io.kvdb.gateway.locks;

import com.google.protobuf.Empty;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.Durations;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.gateway.api.Ids;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.PageRequest;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.gateway.wait.Wakeups;
import io.kvdb.lua.Keys;
import io.kvdb.lua.locks.Acquisition;
import io.kvdb.lua.locks.LockLease;
import io.kvdb.lua.locks.LockPage;
import io.kvdb.lua.locks.LockRef;
import io.kvdb.lua.locks.LockState;
import io.kvdb.lua.locks.Locks;
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
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.UnifiedJedis;

/** {@code kvdb.v1.LockService}: leased locks with fencing tokens and prompt waiting. */
public final class LockService extends LockServiceGrpc.LockServiceImplBase
    implements AutoCloseable {
  static final Duration MIN_TTL = Duration.ofMillis(100);
  static final Duration MAX_TTL = Duration.ofDays(1);
  static final Duration MAX_WAIT = Duration.ofMinutes(5);
  static final int MAX_LABEL_LENGTH = 256;
  static final int MAX_TOKEN_LENGTH = 64;

  /** Slack past a holder's expiry before trying again, so its key is surely gone. */
  private static final long EXPIRY_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private final Locks locks;
  private final Wakeups releases;
  private final PatientCall.Runtime runtime;

  public LockService(Locks locks, UnifiedJedis redis, PatientCall.Runtime runtime) {
    this.locks = locks;
    this.releases = new Wakeups(redis, Keys.LOCK_RELEASED_CHANNEL, false);
    this.runtime = runtime;
  }

  @Override
  public void acquire(AcquireLockRequest request, StreamObserver<AcquireLockResponse> observer) {
    LockRef lock;
    Duration ttl;
    long waitNanos;
    String label;
    try {
      lock = lockRef(request.getName());
      ttl = Durations.within("ttl", request.hasTtl(), request.getTtl(), MIN_TTL, MAX_TTL);
      waitNanos =
          PatientCall.waitWithinDeadline(
              Durations.within(
                  "wait_timeout",
                  request.hasWaitTimeout(),
                  request.getWaitTimeout(),
                  Duration.ZERO,
                  MAX_WAIT));
      label = label(request.getOwnerLabel());
    } catch (RuntimeException invalid) {
      observer.onError(ErrorMapper.toStatus(invalid));
      return;
    }
    String token = Ids.random();
    new PatientCall<>(
            runtime,
            releases,
            lock.id(),
            waitNanos,
            (ServerCallStreamObserver<AcquireLockResponse>) observer,
            () -> attempt(lock, token, ttl, label))
        .start();
  }

  private PatientCall.Outcome<AcquireLockResponse> attempt(
      LockRef lock, String token, Duration ttl, String label) {
    Acquisition attempt = locks.acquire(lock, token, ttl, label);
    AcquireLockResponse response = toResponse(attempt, token);
    if (attempt.acquired()) {
      return PatientCall.Outcome.done(response, () -> release(lock, token));
    }
    return PatientCall.Outcome.notYet(response, attempt.leaseLeft().toNanos() + EXPIRY_SLACK_NANOS);
  }

  /** Releases and wakes a waiter here at once; other gateways hear the announcement. */
  private void release(LockRef lock, String token) {
    locks.release(lock, token, releases.announcement(lock.id()));
    releases.signal(lock.id());
  }

  @Override
  public void renew(RenewLockRequest request, StreamObserver<LockHandle> observer) {
    Unary.respond(
        observer,
        () -> {
          LockRef lock = lockRef(request.getName());
          String token = token(request.getToken());
          Duration ttl =
              Durations.within("ttl", request.hasTtl(), request.getTtl(), MIN_TTL, MAX_TTL);
          LockLease lease = locks.renew(lock, token, ttl);
          return LockHandle.newBuilder()
              .setToken(token)
              .setFence(lease.fence())
              .setExpiresAt(ProtoTime.timestamp(lease.expiresAt()))
              .build();
        });
  }

  @Override
  public void release(ReleaseLockRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          release(lockRef(request.getName()), token(request.getToken()));
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void getLock(GetLockRequest request, StreamObserver<Lock> observer) {
    Unary.respond(observer, () -> toProto(locks.get(lockRef(request.getName()))));
  }

  @Override
  public void listLocks(ListLocksRequest request, StreamObserver<ListLocksResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          PageRequest page =
              PageRequest.of(request.getPageSize(), 10, 1000, request.getPageToken());
          LockPage found = locks.list(CallContext.project(), page.after(), page.size());
          ListLocksResponse.Builder response = ListLocksResponse.newBuilder();
          found.locks().forEach(lock -> response.addLocks(toProto(lock)));
          if (found.continueAfter() != null) {
            response.setNextPageToken(PageRequest.tokenAfter(found.continueAfter()));
          }
          return response.build();
        });
  }

  @Override
  public void close() {
    releases.close();
  }

  private static LockRef lockRef(String name) {
    return new LockRef(CallContext.project(), Names.name("name", name));
  }

  private static String token(String token) {
    if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidArgumentException("token", "must be the token returned by Acquire");
    }
    return token;
  }

  private static String label(String requested) {
    String label = requested.isEmpty() ? CallContext.clientId() : requested;
    if (label.length() > MAX_LABEL_LENGTH) {
      throw new InvalidArgumentException(
          "owner_label", "must be at most " + MAX_LABEL_LENGTH + " characters");
    }
    return label;
  }

  private static AcquireLockResponse toResponse(Acquisition attempt, String token) {
    AcquireLockResponse.Builder response =
        AcquireLockResponse.newBuilder().setAcquired(attempt.acquired());
    if (attempt.acquired()) {
      response.setHandle(
          LockHandle.newBuilder()
              .setToken(token)
              .setFence(attempt.lock().fence())
              .setExpiresAt(ProtoTime.timestamp(attempt.lock().expiresAt())));
    } else {
      response.setCurrent(toProto(attempt.lock()));
    }
    return response.build();
  }

  private static Lock toProto(LockState state) {
    Lock.Builder lock =
        Lock.newBuilder()
            .setName(state.name())
            .setHeld(state.held())
            .setOwnerLabel(state.ownerLabel())
            .setFence(state.fence());
    if (state.held()) {
      lock.setAcquireTime(ProtoTime.timestamp(state.acquiredAt()));
      lock.setExpiresAt(ProtoTime.timestamp(state.expiresAt()));
    }
    return lock.build();
  }
}
