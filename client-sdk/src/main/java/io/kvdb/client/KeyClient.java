package io.kvdb.client;

import io.kvdb.proto.v1.CreateKeyRequest;
import io.kvdb.proto.v1.CreatedKey;
import io.kvdb.proto.v1.Key;
import io.kvdb.proto.v1.KeyServiceGrpc;
import io.kvdb.proto.v1.ListKeysRequest;
import io.kvdb.proto.v1.ListKeysResponse;
import io.kvdb.proto.v1.RevokeKeyRequest;
import io.kvdb.proto.v1.RotateKeyRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * API keys, for gateways started with {@code --auth keys}; every call needs an administrator's
 * credential. Each call blocks, and its {@code ...Async} twin returns a {@link CompletableFuture}.
 * Unknown or revoked ids are {@code NOT_FOUND}.
 *
 * <pre>{@code
 * IssuedKey billing = kvdb.admin().keys().create(KeyOptions.newBuilder()
 *     .setProjects(List.of("billing")).setRoles(Role.ROLE_PRODUCE, Role.ROLE_CONSUME).build());
 * IssuedKey next = kvdb.admin().keys().rotate(billing.key().getId(), Duration.ofHours(1));
 * }</pre>
 */
public final class KeyClient {
  private static final Duration MAX_OVERLAP = Duration.ofDays(7);

  private final KvdbClient client;

  KeyClient(KvdbClient client) {
    this.client = client;
  }

  /** Creates a key; its secret is in the result, and nowhere else ever. */
  public IssuedKey create(KeyOptions options) {
    return Calls.await(createAsync(options));
  }

  public CompletableFuture<IssuedKey> createAsync(KeyOptions options) {
    CreateKeyRequest.Builder request =
        CreateKeyRequest.newBuilder()
            .setDescription(options.description())
            .addAllProjects(options.projects())
            .setAllProjects(options.allProjects())
            .addAllRoles(options.roles())
            .setCertificateIdentity(options.certificateIdentity());
    options.expireTime().ifPresent(expiry -> request.setExpireTime(ProtoTimes.of(expiry)));
    return Calls.unary(stub()::createKey, request.build()).thenApply(KeyClient::issued);
  }

  /** One page of keys, in id order, without secrets. */
  public ListKeysResponse list(PageOptions page) {
    return Calls.await(listAsync(page));
  }

  public CompletableFuture<ListKeysResponse> listAsync(PageOptions page) {
    return Calls.unary(stub()::listKeys, listRequest(page));
  }

  /**
   * Every key, in id order, fetching pages (of 1000 unless {@code page} says otherwise) lazily as
   * the iteration goes; no async twin, as it is itself lazy.
   */
  public Iterable<Key> listAll(PageOptions page) {
    ListKeysRequest first = listRequest(page);
    return new Pages<>(
        first.getPageSize() == 0 ? first.toBuilder().setPageSize(1000).build() : first,
        request -> Calls.unary(stub()::listKeys, request),
        ListKeysResponse::getKeysList,
        ListKeysResponse::getNextPageToken,
        (request, token) -> request.toBuilder().setPageToken(token).build());
  }

  /** Revokes the key at once: none of its secrets works any more. */
  public void revoke(String id) {
    Calls.await(revokeAsync(id));
  }

  public CompletableFuture<Void> revokeAsync(String id) {
    return Calls.unary(stub()::revokeKey, RevokeKeyRequest.newBuilder().setId(id).build())
        .thenApply(empty -> null);
  }

  /**
   * Gives the key a new secret; the previous one keeps working for {@code overlap} (0 to 7 days; 0
   * stops it at once).
   */
  public IssuedKey rotate(String id, Duration overlap) {
    return Calls.await(rotateAsync(id, overlap));
  }

  public CompletableFuture<IssuedKey> rotateAsync(String id, Duration overlap) {
    RotateKeyRequest request =
        RotateKeyRequest.newBuilder()
            .setId(id)
            .setOverlap(
                ProtoDurations.of(Check.between("overlap", overlap, Duration.ZERO, MAX_OVERLAP)))
            .build();
    return Calls.unary(stub()::rotateKey, request).thenApply(KeyClient::issued);
  }

  private static IssuedKey issued(CreatedKey created) {
    return new IssuedKey(created.getKey(), created.getSecret());
  }

  private static ListKeysRequest listRequest(PageOptions page) {
    return ListKeysRequest.newBuilder()
        .setPageSize(page.pageSize())
        .setPageToken(page.pageToken())
        .build();
  }

  private KeyServiceGrpc.KeyServiceStub stub() {
    return client.unaryStub(KeyServiceGrpc.newStub(client.channel()));
  }
}
