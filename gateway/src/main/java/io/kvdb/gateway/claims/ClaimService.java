package io.kvdb.gateway.claims;

import com.google.protobuf.Empty;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.Durations;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.gateway.api.Ids;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.gateway.messages.DeadLetterMover;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.gateway.messages.MessageProtos;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.gateway.pools.SplitQueue;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.gateway.wait.Wakeups;
import io.kvdb.lua.claims.ClaimInfo;
import io.kvdb.lua.claims.ClaimOutcome;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.DeleteClaimRequest;
import io.kvdb.proto.v1.GetClaimRequest;
import io.kvdb.proto.v1.UpdateClaimRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** {@code kvdb.v1.ClaimService}: claims with ttl and grace, long polling, dead letters. */
public final class ClaimService extends ClaimServiceGrpc.ClaimServiceImplBase
    implements AutoCloseable {
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 1000;

  /** How long a waiting claim sleeps at most without news, in case an announcement was lost. */
  private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** How long a stopping gateway waits for one Consume stream to give back what it held. */
  private static final Duration SESSION_END_PATIENCE = Duration.ofSeconds(5);

  private final QueueRouter router;
  private final DeadLetterMover deadLetters;
  private final MessageLimits limits;
  private final ClaimBounds bounds;
  private final Wakeups posts;
  private final PatientCall.Runtime runtime;
  private final ConsumeSession.Context sessions;

  /** {@code posts} hears the messages-ready announcements of every pool. */
  public ClaimService(
      QueueRouter router,
      DeadLetterMover deadLetters,
      MessageLimits limits,
      Wakeups posts,
      PatientCall.Runtime runtime) {
    this.router = router;
    this.deadLetters = deadLetters;
    this.limits = limits;
    this.bounds = new ClaimBounds(limits);
    this.posts = posts;
    this.runtime = runtime;
    this.sessions =
        new ConsumeSession.Context(
            router, deadLetters, posts, runtime, bounds, ConcurrentHashMap.newKeySet());
  }

  @Override
  public StreamObserver<ConsumeRequest> consume(StreamObserver<ConsumeResponse> responses) {
    return new ConsumeSession(sessions, CallContext.project(), responses);
  }

  @Override
  public void createClaim(CreateClaimRequest request, StreamObserver<Claim> observer) {
    QueueRef queue;
    Duration ttl;
    Duration grace;
    int limit;
    long waitNanos;
    try {
      queue = CallContext.queue("queue", request.getQueue());
      ttl = bounds.ttl("ttl", request.hasTtl(), request.getTtl());
      grace = bounds.grace("grace", request.hasGrace(), request.getGrace());
      limit =
          request.getLimit() == 0
              ? DEFAULT_LIMIT
              : Bounds.within("limit", request.getLimit(), 1, MAX_LIMIT);
      waitNanos =
          PatientCall.waitWithinDeadline(
              Durations.within(
                  "wait",
                  request.hasWait(),
                  request.getWait(),
                  Duration.ZERO,
                  limits.maxClaimWait()));
    } catch (RuntimeException invalid) {
      observer.onError(ErrorMapper.toStatus(invalid));
      return;
    }
    String key = queue.project() + "/" + queue.name();
    new PatientCall<>(
            runtime,
            posts,
            key,
            waitNanos,
            (ServerCallStreamObserver<Claim>) observer,
            () -> attempt(queue, ttl, grace, limit))
        .start();
  }

  private PatientCall.Outcome<Claim> attempt(
      QueueRef queue, Duration ttl, Duration grace, int limit) {
    SplitQueue.Claimed claimed =
        SplitQueue.claim(router.route(queue), queue, Ids.random(), ttl, grace, limit);
    Claims claims = claimed.claims();
    ClaimOutcome outcome = claimed.outcome();
    if (outcome.deadLettered() > 0) {
      deadLetters.drain(queue);
    }
    if (!outcome.messages().isEmpty()) {
      Claim claim =
          toProto(
              outcome.claimId(),
              ttl,
              grace,
              outcome.now(),
              outcome.now(),
              outcome.expiresAt(),
              outcome.messages());
      return PatientCall.Outcome.done(claim, () -> claims.release(queue, outcome.claimId()));
    }
    long retryIn = RECHECK_NANOS;
    if (outcome.nextChange() != null) {
      retryIn =
          Math.min(
              retryIn, Duration.between(outcome.now(), outcome.nextChange()).toNanos() + 1_000_000);
    }
    return PatientCall.Outcome.notYet(Claim.getDefaultInstance(), retryIn);
  }

  @Override
  public void getClaim(GetClaimRequest request, StreamObserver<Claim> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          String claimId = Ids.valid("claim_id", request.getClaimId());
          return toProto(
              SplitQueue.onClaim(router.route(queue), claims -> claims.get(queue, claimId)));
        });
  }

  @Override
  public void updateClaim(UpdateClaimRequest request, StreamObserver<Claim> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          String claimId = Ids.valid("claim_id", request.getClaimId());
          Duration ttl =
              Durations.within(
                  "ttl",
                  request.hasTtl(),
                  request.getTtl(),
                  limits.minClaimTtl(),
                  limits.maxClaimTtl());
          Duration grace = bounds.grace("grace", request.hasGrace(), request.getGrace());
          return toProto(
              SplitQueue.onClaim(
                  router.route(queue), claims -> claims.update(queue, claimId, ttl, grace)));
        });
  }

  @Override
  public void deleteClaim(DeleteClaimRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = CallContext.queue("queue", request.getQueue());
          String claimId = Ids.valid("claim_id", request.getClaimId());
          SplitQueue.release(router.route(queue), queue, claimId);
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void close() throws InterruptedException {
    for (ConsumeSession session : List.copyOf(sessions.open())) {
      session.end(SESSION_END_PATIENCE);
    }
    posts.close();
  }

  private static Claim toProto(ClaimInfo claim) {
    return toProto(
        claim.id(),
        claim.ttl(),
        claim.grace(),
        claim.createdAt(),
        claim.now(),
        claim.expiresAt(),
        claim.messages());
  }

  private static Claim toProto(
      String id,
      Duration ttl,
      Duration grace,
      Instant createdAt,
      Instant now,
      Instant expiresAt,
      List<StoredMessage> messages) {
    Claim.Builder claim =
        Claim.newBuilder()
            .setId(id)
            .setTtl(ProtoTime.duration(ttl))
            .setGrace(ProtoTime.duration(grace))
            .setAge(ProtoTime.duration(Duration.between(createdAt, now)))
            .setExpireTime(ProtoTime.timestamp(expiresAt));
    messages.forEach(message -> claim.addMessages(MessageProtos.toProto(message)));
    return claim.build();
  }
}
