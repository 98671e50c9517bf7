package io.kvdb.client;

import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.DeleteClaimRequest;
import io.kvdb.proto.v1.GetClaimRequest;
import io.kvdb.proto.v1.UpdateClaimRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Claims on a project's messages: create (with long polling), get, update, release. */
public final class ClaimClient {
  private final KvdbClient client;

  ClaimClient(KvdbClient client) {
    this.client = client;
  }

  /**
   * Claims up to {@code limit} messages for {@code ttl} (grace as long), waiting up to
   * {@code wait} for some to arrive. An empty claim (no id) when none came.
   */
  public Claim create(String queue, int limit, Duration ttl, Duration wait) {
    return create(CreateClaimRequest.newBuilder()
        .setQueue(queue)
        .setLimit(limit)
        .setTtl(ProtoDurations.of(ttl))
        .setGrace(ProtoDurations.of(ttl))
        .setWait(ProtoDurations.of(wait))
        .build());
  }

  /** Claims as the request says; the call's deadline allows for its wait. */
  public Claim create(CreateClaimRequest request) {
    return Calls.blocking(() -> waiting(request).createClaim(request));
  }

  public CompletableFuture<Claim> createAsync(CreateClaimRequest request) {
    long waitNanos = request.getWait().getSeconds() * 1_000_000_000L + request.getWait().getNanos();
    ClaimServiceGrpc.ClaimServiceStub stub = ClaimServiceGrpc.newStub(client.channel())
        .withDeadlineAfter(client.deadline().toNanos() + waitNanos, TimeUnit.NANOSECONDS);
    return Calls.async(stub::createClaim, request);
  }

  /** The live claim and the messages it holds; NOT_FOUND when gone. */
  public Claim get(String queue, String claimId) {
    GetClaimRequest request = GetClaimRequest.newBuilder().setQueue(queue).setClaimId(claimId).build();
    return Calls.blocking(() -> blocking().getClaim(request));
  }

  /** A new ttl and grace from now; NOT_FOUND when gone. */
  public Claim update(String queue, String claimId, Duration ttl, Duration grace) {
    UpdateClaimRequest request = UpdateClaimRequest.newBuilder()
        .setQueue(queue)
        .setClaimId(claimId)
        .setTtl(ProtoDurations.of(ttl))
        .setGrace(ProtoDurations.of(grace))
        .build();
    return Calls.blocking(() -> blocking().updateClaim(request));
  }

  /** Releases the claim's messages; an unknown or expired claim is fine. */
  public void release(String queue, String claimId) {
    DeleteClaimRequest request = DeleteClaimRequest.newBuilder().setQueue(queue).setClaimId(claimId).build();
    Calls.blocking(() -> blocking().deleteClaim(request));
  }

  private ClaimServiceGrpc.ClaimServiceBlockingStub blocking() {
    return client.withDeadline(ClaimServiceGrpc.newBlockingStub(client.channel()));
  }

  private ClaimServiceGrpc.ClaimServiceBlockingStub waiting(CreateClaimRequest request) {
    long waitNanos = request.getWait().getSeconds() * 1_000_000_000L + request.getWait().getNanos();
    return ClaimServiceGrpc.newBlockingStub(client.channel())
        .withDeadlineAfter(client.deadline().toNanos() + waitNanos, TimeUnit.NANOSECONDS);
  }
}
