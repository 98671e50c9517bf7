package io.kvdb.client;

import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.DeleteClaimRequest;
import io.kvdb.proto.v1.GetClaimRequest;
import io.kvdb.proto.v1.UpdateClaimRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Claims on a project's messages: create (with long polling), get, update, release, and {@link
 * Consumer}s that run a handler per message over one stream. Each call blocks, and its {@code
 * ...Async} twin returns a {@link CompletableFuture}.
 *
 * <pre>{@code
 * Claim claim = kvdb.claims().create("invoices", ClaimOptions.newBuilder().setLimit(5).build());
 * try (Consumer consumer = kvdb.claims().consumer("invoices", message -> bill(message))) {
 *   ...
 * }
 * }</pre>
 */
public final class ClaimClient {
  private final KvdbClient client;

  ClaimClient(KvdbClient client) {
    this.client = client;
  }

  /** Claims up to 10 messages with the gateway's default ttl, without waiting. */
  public Claim create(String queue) {
    return create(queue, ClaimOptions.DEFAULTS);
  }

  public CompletableFuture<Claim> createAsync(String queue) {
    return createAsync(queue, ClaimOptions.DEFAULTS);
  }

  /**
   * Claims as the options say, waiting up to their {@code maxWait} for messages to arrive (the
   * call's deadline allows for it). An empty claim (no id) when none came.
   */
  public Claim create(String queue, ClaimOptions options) {
    return Calls.await(createAsync(queue, options));
  }

  public CompletableFuture<Claim> createAsync(String queue, ClaimOptions options) {
    CreateClaimRequest.Builder request =
        CreateClaimRequest.newBuilder()
            .setQueue(queue)
            .setLimit(options.limit())
            .setWait(ProtoDurations.of(options.maxWait()));
    options.ttl().ifPresent(ttl -> request.setTtl(ProtoDurations.of(ttl)));
    options.grace().ifPresent(grace -> request.setGrace(ProtoDurations.of(grace)));
    ClaimServiceGrpc.ClaimServiceStub waiting =
        client.unaryStub(ClaimServiceGrpc.newStub(client.channel()), options.maxWait());
    return Calls.unary(waiting::createClaim, request.build());
  }

  /** The live claim and the messages it holds; NOT_FOUND when gone. */
  public Claim get(String queue, String claimId) {
    return Calls.await(getAsync(queue, claimId));
  }

  public CompletableFuture<Claim> getAsync(String queue, String claimId) {
    GetClaimRequest request =
        GetClaimRequest.newBuilder().setQueue(queue).setClaimId(claimId).build();
    return Calls.unary(stub()::getClaim, request);
  }

  /** A new ttl and grace from now; NOT_FOUND when gone. */
  public Claim update(String queue, String claimId, Duration ttl, Duration grace) {
    return Calls.await(updateAsync(queue, claimId, ttl, grace));
  }

  public CompletableFuture<Claim> updateAsync(
      String queue, String claimId, Duration ttl, Duration grace) {
    UpdateClaimRequest request =
        UpdateClaimRequest.newBuilder()
            .setQueue(queue)
            .setClaimId(claimId)
            .setTtl(ProtoDurations.of(ttl))
            .setGrace(ProtoDurations.of(grace))
            .build();
    return Calls.unary(stub()::updateClaim, request);
  }

  /** Releases the claim's messages; an unknown or expired claim is fine. */
  public void release(String queue, String claimId) {
    Calls.await(releaseAsync(queue, claimId));
  }

  public CompletableFuture<Void> releaseAsync(String queue, String claimId) {
    DeleteClaimRequest request =
        DeleteClaimRequest.newBuilder().setQueue(queue).setClaimId(claimId).build();
    return Calls.unary(stub()::deleteClaim, request).thenApply(empty -> null);
  }

  /** Starts a {@link Consumer} of {@code queue} with the default options (one thread). */
  public Consumer consumer(String queue, Consumer.Handler handler) {
    return consumer(queue, ConsumerOptions.DEFAULTS, handler);
  }

  /**
   * Starts a {@link Consumer} of {@code queue} as the options say; throws {@link KvdbException} if
   * the gateway refuses its stream for good.
   */
  public Consumer consumer(String queue, ConsumerOptions options, Consumer.Handler handler) {
    return Consumer.start(client, queue, options, handler);
  }

  private ClaimServiceGrpc.ClaimServiceStub stub() {
    return client.unaryStub(ClaimServiceGrpc.newStub(client.channel()));
  }
}
