package io.kvdb.gateway.pools;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.lua.Keys;
import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.migrations.MigrationRecord;
import io.kvdb.lua.migrations.Migrations;
import io.kvdb.lua.pools.Placement;
import io.kvdb.lua.pools.PoolRecord;
import io.kvdb.lua.pools.PoolUpdate;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.RedisAddress;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.CancelMigrationRequest;
import io.kvdb.proto.v1.CreatePoolRequest;
import io.kvdb.proto.v1.DeletePoolRequest;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.GetMigrationRequest;
import io.kvdb.proto.v1.GetPoolRequest;
import io.kvdb.proto.v1.ListPoolsRequest;
import io.kvdb.proto.v1.ListPoolsResponse;
import io.kvdb.proto.v1.MigrateQueueRequest;
import io.kvdb.proto.v1.Migration;
import io.kvdb.proto.v1.PlanRebalanceRequest;
import io.kvdb.proto.v1.Pool;
import io.kvdb.proto.v1.PoolServiceGrpc;
import io.kvdb.proto.v1.RebalancePlan;
import io.kvdb.proto.v1.UpdatePoolRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Administrators register, read, change and forget pools, and move queues between them
 * (pools.proto); the moves themselves are the {@link Migrator}'s.
 */
public final class PoolService extends PoolServiceGrpc.PoolServiceImplBase {
  private static final Set<String> MASK = Set.of("weight", "flavor", "options");

  private final UnifiedJedis control;
  private final Pools pools;
  private final PoolHealth health;
  private final RedisConnector.Settings settings;
  private final String controlAddress;
  private final RebalancePlanner planner;
  private final Migrator migrator;
  private final Migrations migrations;

  /**
   * @param settings how to reach a new pool: the gateway's own Redis settings (pool size, timeout,
   *     TLS)
   * @param controlAddress the control Redis's address without credentials, shown as the uri of
   *     "default"
   */
  public PoolService(
      UnifiedJedis control,
      Pools pools,
      PoolHealth health,
      RedisConnector.Settings settings,
      String controlAddress,
      RebalancePlanner planner,
      Migrator migrator,
      Migrations migrations) {
    this.migrator = migrator;
    this.migrations = migrations;
    this.control = control;
    this.pools = pools;
    this.health = health;
    this.settings = settings;
    this.controlAddress = controlAddress;
    this.planner = planner;
  }

  @Override
  public void createPool(CreatePoolRequest request, StreamObserver<Pool> observer) {
    Unary.respond(
        observer,
        () -> {
          Pool pool = request.getPool();
          String name = Names.name("pool.name", pool.getName());
          URI uri = uri(pool.getUri());
          int weight = weight(pool.getWeight());
          String flavor = flavor(pool.getFlavor());
          Map<String, Object> options = options(pool);
          if (servesPool(name)) {
            // Before the deployment is asked, whose mark would answer for the name otherwise.
            throw new ScriptRefusedException(Reason.EXISTS, "a pool named " + name + " exists");
          }
          reachAndMark(uri, name);
          return toProto(pools.create(name, pool.getUri(), weight, flavor, options));
        });
  }

  @Override
  public void getPool(GetPoolRequest request, StreamObserver<Pool> observer) {
    Unary.respond(observer, () -> toProto(pools.get(Names.name("name", request.getName()))));
  }

  @Override
  public void listPools(ListPoolsRequest request, StreamObserver<ListPoolsResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          ListPoolsResponse.Builder response = ListPoolsResponse.newBuilder();
          pools.list().stream()
              .sorted(Comparator.comparing(PoolRecord::name))
              .forEach(pool -> response.addPools(toProto(pool)));
          return response.build();
        });
  }

  @Override
  public void updatePool(UpdatePoolRequest request, StreamObserver<Pool> observer) {
    Unary.respond(
        observer,
        () -> {
          Pool pool = request.getPool();
          String name = Names.name("pool.name", pool.getName());
          List<String> mask = request.getUpdateMaskList();
          for (int i = 0; i < mask.size(); i++) {
            if (!MASK.contains(mask.get(i))) {
              throw new InvalidArgumentException(
                  "update_mask." + i, "must be weight, flavor or options, got " + mask.get(i));
            }
          }
          boolean all = mask.isEmpty();
          PoolUpdate update =
              new PoolUpdate(
                  all || mask.contains("weight") ? weight(pool.getWeight()) : null,
                  all || mask.contains("flavor") ? flavor(pool.getFlavor()) : null,
                  all || mask.contains("options") ? options(pool) : null);
          return toProto(pools.update(name, update));
        });
  }

  @Override
  public void deletePool(DeletePoolRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          pools.delete(Names.name("name", request.getName()));
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void planRebalance(PlanRebalanceRequest request, StreamObserver<RebalancePlan> observer) {
    Unary.respond(observer, () -> planner.plan(request));
  }

  @Override
  public void migrateQueue(MigrateQueueRequest request, StreamObserver<Migration> observer) {
    Unary.respond(
        observer,
        () -> {
          QueueRef queue = queue(request.getProject(), request.getQueue());
          String target = Names.name("target_pool", request.getTargetPool());
          return toProto(migrator.start(queue, target));
        });
  }

  @Override
  public void getMigration(GetMigrationRequest request, StreamObserver<Migration> observer) {
    Unary.respond(
        observer, () -> toProto(migrations.get(queue(request.getProject(), request.getQueue()))));
  }

  @Override
  public void cancelMigration(CancelMigrationRequest request, StreamObserver<Migration> observer) {
    Unary.respond(
        observer, () -> toProto(migrator.cancel(queue(request.getProject(), request.getQueue()))));
  }

  private static QueueRef queue(String project, String name) {
    return new QueueRef(Names.project("project", project), Names.name("queue", name));
  }

  /** The contract's view of a migration record. */
  public static Migration toProto(MigrationRecord record) {
    Migration.Builder proto =
        Migration.newBuilder()
            .setProject(record.queue().project())
            .setQueue(record.queue().name())
            .setSourcePool(record.source())
            .setTargetPool(record.target())
            .setState(Migration.State.valueOf(record.state().name()))
            .setMessagesMoved(record.moved())
            .setMessagesLeft(record.left())
            .setClaimedLeft(record.claimed())
            .setStartTime(ProtoTime.timestamp(record.startedAt()))
            .setUpdateTime(ProtoTime.timestamp(record.updatedAt()));
    if (record.endedAt() != null) {
      proto.setEndTime(ProtoTime.timestamp(record.endedAt()));
    }
    return proto.build();
  }

  private static URI uri(String text) {
    if (text.isEmpty()) {
      throw new InvalidArgumentException("pool.uri", "is required");
    }
    if (text.length() > 4096) {
      throw new InvalidArgumentException("pool.uri", "must be at most 4096 characters");
    }
    try {
      URI uri = new URI(text);
      RedisAddress.parse(uri);
      return uri;
    } catch (URISyntaxException e) {
      // The reason without the input, which may hold a password.
      throw new InvalidArgumentException("pool.uri", "is not a URI: " + e.getReason());
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("pool.uri", e.getMessage());
    }
  }

  private static int weight(int weight) {
    return Bounds.within("pool.weight", weight, 0, Pools.MAX_WEIGHT);
  }

  private static String flavor(String flavor) {
    return flavor.isEmpty() ? "" : Names.name("pool.flavor", flavor);
  }

  private static Map<String, Object> options(Pool pool) {
    Map<String, Object> options = StructValues.toMap(pool.getOptions());
    int size = MsgpackValues.encode(options).length;
    if (size > Pools.MAX_OPTIONS_BYTES) {
      throw new InvalidArgumentException(
          "pool.options", "must be at most 4 KiB encoded, got " + size + " bytes");
    }
    return options;
  }

  /**
   * The deployment must answer and take the scripts, or the pool would be unusable; and it must
   * serve no other pool ("default" included), whose queues' keys would collide with this one's. Its
   * mark names the pool it serves; a mark of a pool since deleted is taken over.
   */
  private void reachAndMark(URI uri, String name) {
    String where = RedisAddress.parse(uri).redacted();
    control.set(Keys.POOL_MARK, Placement.DEFAULT_POOL, SetParams.setParams().nx());
    try (UnifiedJedis redis = RedisConnector.connect(uri, settings)) {
      ScriptRegistry.load(redis);
      String mark = redis.get(Keys.POOL_MARK);
      if (mark != null && !mark.equals(name) && servesPool(mark)) {
        throw ErrorMapper.failedPrecondition(
            ErrorReason.IN_USE,
            "pool.uri",
            "pool.uri: the Redis at " + where + " is pool " + mark + " already");
      }
      redis.set(Keys.POOL_MARK, name);
    } catch (JedisException unreachable) {
      throw ErrorMapper.failedPrecondition(
          ErrorReason.UNAVAILABLE,
          "pool.uri",
          "pool.uri: no Redis answered at "
              + where
              + " or it refused the scripts: "
              + unreachable.getMessage());
    }
  }

  /** Whether a pool of this name is registered ("default" always is). */
  private boolean servesPool(String name) {
    return pools.list().stream().anyMatch(pool -> pool.name().equals(name));
  }

  private Pool toProto(PoolRecord pool) {
    boolean isDefault = pool.name().equals(Placement.DEFAULT_POOL);
    PoolReach reach = health.reach(pool.name());
    Pool.Builder proto =
        Pool.newBuilder()
            .setName(pool.name())
            .setUri(isDefault ? controlAddress : redacted(pool.uri()))
            .setWeight(pool.weight())
            .setFlavor(pool.flavor())
            .setOptions(StructValues.toStruct(pool.options()))
            .setQueues(pool.queues())
            .setServing(reach.serving())
            .setTopology(reach.topology());
    if (pool.created() != null) {
      proto.setCreateTime(ProtoTime.timestamp(pool.created()));
    }
    return proto.build();
  }

  private static String redacted(String uri) {
    try {
      return RedisAddress.parse(new URI(uri)).redacted();
    } catch (URISyntaxException | IllegalArgumentException unreadable) {
      return "";
    }
  }
}
