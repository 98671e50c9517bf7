package io.kvdb.gateway.pools;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.lua.pools.FlavorRecord;
import io.kvdb.lua.pools.Flavors;
import io.kvdb.proto.v1.CreateFlavorRequest;
import io.kvdb.proto.v1.DeleteFlavorRequest;
import io.kvdb.proto.v1.Flavor;
import io.kvdb.proto.v1.FlavorServiceGrpc;
import io.kvdb.proto.v1.GetFlavorRequest;
import io.kvdb.proto.v1.ListFlavorsRequest;
import io.kvdb.proto.v1.ListFlavorsResponse;
import io.kvdb.proto.v1.UpdateFlavorRequest;
import java.util.List;

/** Administrators create, read, change and delete flavors (flavors.proto). */
public final class FlavorService extends FlavorServiceGrpc.FlavorServiceImplBase {
  private final Flavors flavors;
  private final PoolHealth health;

  public FlavorService(Flavors flavors, PoolHealth health) {
    this.flavors = flavors;
    this.health = health;
  }

  @Override
  public void createFlavor(CreateFlavorRequest request, StreamObserver<Flavor> observer) {
    Unary.respond(
        observer,
        () -> {
          Flavor flavor = request.getFlavor();
          return toProto(
              flavors.create(Names.name("flavor.name", flavor.getName()), flavor.getDefault()));
        });
  }

  @Override
  public void getFlavor(GetFlavorRequest request, StreamObserver<Flavor> observer) {
    Unary.respond(observer, () -> toProto(flavors.get(Names.name("name", request.getName()))));
  }

  @Override
  public void listFlavors(
      ListFlavorsRequest request, StreamObserver<ListFlavorsResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          ListFlavorsResponse.Builder response = ListFlavorsResponse.newBuilder();
          flavors.list().forEach(flavor -> response.addFlavors(toProto(flavor)));
          return response.build();
        });
  }

  @Override
  public void updateFlavor(UpdateFlavorRequest request, StreamObserver<Flavor> observer) {
    Unary.respond(
        observer,
        () -> {
          Flavor flavor = request.getFlavor();
          return toProto(
              flavors.update(Names.name("flavor.name", flavor.getName()), flavor.getDefault()));
        });
  }

  @Override
  public void deleteFlavor(DeleteFlavorRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          flavors.delete(Names.name("name", request.getName()));
          return Empty.getDefaultInstance();
        });
  }

  private Flavor toProto(FlavorRecord flavor) {
    List<String> pools = flavor.pools().stream().sorted().toList();
    List<PoolReach> reach = pools.stream().map(health::reach).toList();
    boolean any = !reach.isEmpty();
    Flavor.Builder proto =
        Flavor.newBuilder()
            .setName(flavor.name())
            .setDefault(flavor.isDefault())
            .addAllPools(pools)
            .putCapabilities(
                "replicated", capability(any && reach.stream().allMatch(PoolReach::replicated)))
            .putCapabilities(
                "cluster",
                capability(
                    any && reach.stream().allMatch(r -> r.topology().equals(PoolReach.CLUSTER))))
            .putCapabilities(
                "failover",
                capability(
                    any
                        && reach.stream()
                            .allMatch(
                                r ->
                                    r.topology().equals(PoolReach.CLUSTER)
                                        || r.topology().equals(PoolReach.SENTINEL))))
            .putCapabilities(
                "serving", capability(any && reach.stream().allMatch(PoolReach::serving)));
    if (flavor.created() != null) {
      proto.setCreateTime(ProtoTime.timestamp(flavor.created()));
    }
    return proto.build();
  }

  private static String capability(boolean held) {
    return Boolean.toString(held);
  }
}
