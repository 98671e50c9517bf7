package io.kvdb.client;

import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.CancelMigrationRequest;
import io.kvdb.proto.v1.CreatePoolRequest;
import io.kvdb.proto.v1.DeletePoolRequest;
import io.kvdb.proto.v1.GetMigrationRequest;
import io.kvdb.proto.v1.GetPoolRequest;
import io.kvdb.proto.v1.ListPoolsRequest;
import io.kvdb.proto.v1.MigrateQueueRequest;
import io.kvdb.proto.v1.PlanRebalanceRequest;
import io.kvdb.proto.v1.Pool;
import io.kvdb.proto.v1.PoolServiceGrpc;
import io.kvdb.proto.v1.UpdatePoolRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Pools, the Redis deployments queues live in, for gateways started with {@code --admin-api}
 * (without it every call is {@code UNIMPLEMENTED}); every call needs an administrator's credential.
 * "default", the gateway's own Redis, always exists and cannot be deleted. Each call blocks, and
 * its {@code ...Async} twin returns a {@link CompletableFuture}.
 *
 * <pre>{@code
 * kvdb.admin().pools().create(NewPool.of("eu-2", "redis://eu-2:6379").withWeight(100));
 * kvdb.admin().pools().update("default", PoolChange.weight(0));
 * kvdb.admin().pools().migrate("billing", "invoices", "eu-2");
 * }</pre>
 */
public final class PoolClient {
  private final KvdbClient client;

  PoolClient(KvdbClient client) {
    this.client = client;
  }

  /**
   * Registers a pool once its deployment answered; {@code FAILED_PRECONDITION} naming {@code
   * pool.uri} when it does not, {@code ALREADY_EXISTS} for a name taken.
   */
  public PoolInfo create(NewPool pool) {
    return Calls.await(createAsync(pool));
  }

  public CompletableFuture<PoolInfo> createAsync(NewPool pool) {
    Check.notNull("pool", pool);
    Pool proto =
        Pool.newBuilder()
            .setName(pool.name())
            .setUri(pool.uri())
            .setWeight(pool.weight())
            .setFlavor(pool.flavor())
            .setOptions(StructValues.toStruct(pool.options()))
            .build();
    return Calls.unary(stub()::createPool, CreatePoolRequest.newBuilder().setPool(proto).build())
        .thenApply(PoolInfo::of);
  }

  /** The pool; {@code NOT_FOUND} when there is none of that name. */
  public PoolInfo get(String name) {
    return Calls.await(getAsync(name));
  }

  public CompletableFuture<PoolInfo> getAsync(String name) {
    return Calls.unary(stub()::getPool, GetPoolRequest.newBuilder().setName(name).build())
        .thenApply(PoolInfo::of);
  }

  /** Every pool in name order, "default" among them. */
  public List<PoolInfo> list() {
    return Calls.await(listAsync());
  }

  public CompletableFuture<List<PoolInfo>> listAsync() {
    return Calls.unary(stub()::listPools, ListPoolsRequest.getDefaultInstance())
        .thenApply(response -> response.getPoolsList().stream().map(PoolInfo::of).toList());
  }

  /** Changes what {@code change} sets; a weight of 0 takes no new queues and keeps those it has. */
  public PoolInfo update(String name, PoolChange change) {
    return Calls.await(updateAsync(name, change));
  }

  public CompletableFuture<PoolInfo> updateAsync(String name, PoolChange change) {
    Check.notNull("change", change);
    Pool.Builder pool = Pool.newBuilder().setName(name);
    UpdatePoolRequest.Builder request = UpdatePoolRequest.newBuilder();
    change
        .weight()
        .ifPresent(
            weight -> {
              pool.setWeight(weight);
              request.addUpdateMask("weight");
            });
    change
        .flavor()
        .ifPresent(
            flavor -> {
              pool.setFlavor(flavor);
              request.addUpdateMask("flavor");
            });
    change
        .options()
        .ifPresent(
            options -> {
              pool.setOptions(StructValues.toStruct(options));
              request.addUpdateMask("options");
            });
    if (request.getUpdateMaskCount() == 0) {
      return getAsync(name);
    }
    return Calls.unary(stub()::updatePool, request.setPool(pool).build()).thenApply(PoolInfo::of);
  }

  /**
   * Forgets the pool; {@code FAILED_PRECONDITION}, reason {@code IN_USE}, while queues live in it.
   */
  public void delete(String name) {
    Calls.await(deleteAsync(name));
  }

  public CompletableFuture<Void> deleteAsync(String name) {
    return Calls.unary(stub()::deletePool, DeletePoolRequest.newBuilder().setName(name).build())
        .thenApply(empty -> null);
  }

  /**
   * A plan of at most {@code maxMoves} (1 to 1000) migrations that even out the pools of {@code
   * flavor} (empty: the pools without a flavor) by stored messages, relative to their weights (0
   * for the default of 10). Nothing moves. {@code NOT_FOUND} for a flavor that does not exist,
   * {@code INVALID_ARGUMENT} naming {@code max_moves} out of range.
   */
  public RebalancePlanInfo planRebalance(String flavor, int maxMoves) {
    return Calls.await(planRebalanceAsync(flavor, maxMoves));
  }

  public CompletableFuture<RebalancePlanInfo> planRebalanceAsync(String flavor, int maxMoves) {
    Check.notNull("flavor", flavor);
    PlanRebalanceRequest request =
        PlanRebalanceRequest.newBuilder().setFlavor(flavor).setMaxMoves(maxMoves).build();
    return Calls.unary(stub()::planRebalance, request).thenApply(RebalancePlanInfo::of);
  }

  /**
   * Starts moving {@code project}'s live queue to {@code targetPool} and returns at once; poll
   * {@link #migration} until it {@linkplain MigrationInfo#ended() ended}. {@code NOT_FOUND} for a
   * queue or pool that does not exist, {@code INVALID_ARGUMENT} naming {@code target_pool} for the
   * pool the queue is in, {@code FAILED_PRECONDITION} (reason {@code IN_USE}) while it migrates.
   */
  public MigrationInfo migrate(String project, String queue, String targetPool) {
    return Calls.await(migrateAsync(project, queue, targetPool));
  }

  public CompletableFuture<MigrationInfo> migrateAsync(
      String project, String queue, String targetPool) {
    MigrateQueueRequest request =
        MigrateQueueRequest.newBuilder()
            .setProject(project)
            .setQueue(queue)
            .setTargetPool(targetPool)
            .build();
    return Calls.unary(stub()::migrateQueue, request).thenApply(MigrationInfo::of);
  }

  /**
   * The queue's running migration, else its last (kept a day after it ended); {@code NOT_FOUND}
   * when it never migrated in that time.
   */
  public MigrationInfo migration(String project, String queue) {
    return Calls.await(migrationAsync(project, queue));
  }

  public CompletableFuture<MigrationInfo> migrationAsync(String project, String queue) {
    GetMigrationRequest request =
        GetMigrationRequest.newBuilder().setProject(project).setQueue(queue).build();
    return Calls.unary(stub()::getMigration, request).thenApply(MigrationInfo::of);
  }

  /**
   * Cancels the queue's running migration: it goes back to its source pool with what had moved;
   * {@code FAILED_PRECONDITION} when the migration ended.
   */
  public MigrationInfo cancelMigration(String project, String queue) {
    return Calls.await(cancelMigrationAsync(project, queue));
  }

  public CompletableFuture<MigrationInfo> cancelMigrationAsync(String project, String queue) {
    CancelMigrationRequest request =
        CancelMigrationRequest.newBuilder().setProject(project).setQueue(queue).build();
    return Calls.unary(stub()::cancelMigration, request).thenApply(MigrationInfo::of);
  }

  private PoolServiceGrpc.PoolServiceStub stub() {
    return client.unaryStub(PoolServiceGrpc.newStub(client.channel()));
  }
}
