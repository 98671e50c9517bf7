package io.kvdb.client;

import io.kvdb.proto.v1.CreateFlavorRequest;
import io.kvdb.proto.v1.DeleteFlavorRequest;
import io.kvdb.proto.v1.Flavor;
import io.kvdb.proto.v1.FlavorServiceGrpc;
import io.kvdb.proto.v1.GetFlavorRequest;
import io.kvdb.proto.v1.ListFlavorsRequest;
import io.kvdb.proto.v1.UpdateFlavorRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Flavors, the groups of pools a queue asks for with its metadata {@code _flavor}, for gateways
 * started with {@code --admin-api}; every call needs an administrator's credential. Each call
 * blocks, and its {@code ...Async} twin returns a {@link CompletableFuture}.
 *
 * <pre>{@code
 * kvdb.admin().flavors().create("fast", true);
 * kvdb.admin().pools().update("eu-2", PoolChange.flavor("fast"));
 * }</pre>
 */
public final class FlavorClient {
  private final KvdbClient client;

  FlavorClient(KvdbClient client) {
    this.client = client;
  }

  /**
   * Creates a flavor, the default one (that of queues without {@code _flavor}) when {@code
   * isDefault}; {@code ALREADY_EXISTS} for a name taken.
   */
  public FlavorInfo create(String name, boolean isDefault) {
    return Calls.await(createAsync(name, isDefault));
  }

  public CompletableFuture<FlavorInfo> createAsync(String name, boolean isDefault) {
    Flavor flavor = Flavor.newBuilder().setName(name).setDefault(isDefault).build();
    return Calls.unary(
            stub()::createFlavor, CreateFlavorRequest.newBuilder().setFlavor(flavor).build())
        .thenApply(FlavorInfo::of);
  }

  /** The flavor with its pools and capabilities; {@code NOT_FOUND} when there is none. */
  public FlavorInfo get(String name) {
    return Calls.await(getAsync(name));
  }

  public CompletableFuture<FlavorInfo> getAsync(String name) {
    return Calls.unary(stub()::getFlavor, GetFlavorRequest.newBuilder().setName(name).build())
        .thenApply(FlavorInfo::of);
  }

  /** Every flavor in name order. */
  public List<FlavorInfo> list() {
    return Calls.await(listAsync());
  }

  public CompletableFuture<List<FlavorInfo>> listAsync() {
    return Calls.unary(stub()::listFlavors, ListFlavorsRequest.getDefaultInstance())
        .thenApply(response -> response.getFlavorsList().stream().map(FlavorInfo::of).toList());
  }

  /**
   * Makes the flavor the default one (the previous default becomes ordinary), or an ordinary one.
   */
  public FlavorInfo setDefault(String name, boolean isDefault) {
    return Calls.await(setDefaultAsync(name, isDefault));
  }

  public CompletableFuture<FlavorInfo> setDefaultAsync(String name, boolean isDefault) {
    Flavor flavor = Flavor.newBuilder().setName(name).setDefault(isDefault).build();
    return Calls.unary(
            stub()::updateFlavor, UpdateFlavorRequest.newBuilder().setFlavor(flavor).build())
        .thenApply(FlavorInfo::of);
  }

  /**
   * Deletes the flavor; {@code FAILED_PRECONDITION}, reason {@code IN_USE}, while a pool serves it.
   */
  public void delete(String name) {
    Calls.await(deleteAsync(name));
  }

  public CompletableFuture<Void> deleteAsync(String name) {
    return Calls.unary(stub()::deleteFlavor, DeleteFlavorRequest.newBuilder().setName(name).build())
        .thenApply(empty -> null);
  }

  private FlavorServiceGrpc.FlavorServiceStub stub() {
    return client.unaryStub(FlavorServiceGrpc.newStub(client.channel()));
  }
}
