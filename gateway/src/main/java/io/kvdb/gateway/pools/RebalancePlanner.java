package io.kvdb.gateway.pools;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.pools.Rebalance.QueueLoad;
import io.kvdb.lua.Keys;
import io.kvdb.lua.pools.Catalogue;
import io.kvdb.lua.pools.Flavors;
import io.kvdb.lua.pools.Placement;
import io.kvdb.lua.pools.PoolRecord;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.queues.QueueInfo;
import io.kvdb.lua.queues.QueuePage;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.proto.v1.PlanRebalanceRequest;
import io.kvdb.proto.v1.RebalancePlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;

/**
 * Plans a rebalance (PlanRebalance in pools.proto): walks the projects' registries and catalogue
 * entries in the control Redis, a page at a time, counts each queue's stored messages in its pool
 * (ZCARD of its index by rank, one pipeline per pool per page) and hands the loads to {@link
 * Rebalance}. Nothing moves. The walk reads at most {@code maxQueues} registry entries, so one
 * call's work is bounded however many queues exist.
 */
public final class RebalancePlanner {
  /** The most queues one plan reads. */
  public static final int MAX_QUEUES = 100_000;

  static final int DEFAULT_MOVES = 10;
  static final int MAX_MOVES = 1000;
  private static final int PAGE = 1000;

  private final PoolConnections connections;
  private final Pools pools;
  private final Flavors flavors;
  private final Catalogue catalogue;
  private final int maxQueues;

  public RebalancePlanner(
      PoolConnections connections, Pools pools, Flavors flavors, Catalogue catalogue) {
    this(connections, pools, flavors, catalogue, MAX_QUEUES);
  }

  RebalancePlanner(
      PoolConnections connections,
      Pools pools,
      Flavors flavors,
      Catalogue catalogue,
      int maxQueues) {
    this.connections = connections;
    this.pools = pools;
    this.flavors = flavors;
    this.catalogue = catalogue;
    this.maxQueues = maxQueues;
  }

  public RebalancePlan plan(PlanRebalanceRequest request) {
    int maxMoves =
        request.getMaxMoves() == 0
            ? DEFAULT_MOVES
            : Bounds.within("max_moves", request.getMaxMoves(), 1, MAX_MOVES);
    String flavor = flavor(request.getFlavor());
    Map<String, Integer> weights = new TreeMap<>();
    for (PoolRecord pool : pools.list()) {
      if (pool.flavor().equals(flavor)) {
        weights.put(pool.name(), pool.weight());
      }
    }
    Walk walk = new Walk(weights);
    walk.run();
    Rebalance.Plan plan = Rebalance.plan(weights, walk.loads, maxMoves);
    RebalancePlan.Builder proto =
        RebalancePlan.newBuilder().setPartial(walk.partial).setQueuesExamined(walk.examined);
    weights.forEach(
        (pool, weight) ->
            proto.addPools(
                RebalancePlan.PoolLoad.newBuilder()
                    .setPool(pool)
                    .setWeight(weight)
                    .setMessages(plan.before().get(pool))
                    .setPlannedMessages(plan.after().get(pool))));
    for (Rebalance.Move move : plan.moves()) {
      QueueLoad queue = move.queue();
      proto.addMoves(
          RebalancePlan.Move.newBuilder()
              .setProject(queue.queue().project())
              .setQueue(queue.queue().name())
              .setSourcePool(queue.pool())
              .setTargetPool(move.target())
              .setMessages(queue.messages()));
    }
    return proto.build();
  }

  /** The flavor asked for: empty for the pools without one, else one that exists. */
  private String flavor(String flavor) {
    if (flavor.isEmpty()) {
      return flavor;
    }
    Names.name("flavor", flavor);
    try {
      flavors.get(flavor);
    } catch (ScriptRefusedException refused) {
      if (refused.reason() == Reason.NOT_FOUND) {
        throw new ScriptRefusedException(Reason.NOT_FOUND, "flavor: no flavor is named " + flavor);
      }
      throw refused;
    }
    return flavor;
  }

  /** One walk over the registries: the loads of the queues in the pools considered. */
  private final class Walk {
    final Map<String, Integer> considered;
    final List<QueueLoad> loads = new ArrayList<>();
    final Map<String, List<QueueRef>> pending = new LinkedHashMap<>();
    int pendingCount;
    long examined;
    boolean partial;

    Walk(Map<String, Integer> considered) {
      this.considered = considered;
    }

    void run() {
      Queues registry = connections.defaultPool().queues();
      String lastProject = null;
      while (true) {
        List<String> projects = registry.projects(lastProject, PAGE);
        for (String project : projects) {
          if (!walkProject(registry, project)) {
            flush();
            return;
          }
        }
        if (projects.size() < PAGE) {
          flush();
          return;
        }
        lastProject = projects.get(projects.size() - 1);
      }
    }

    /** False when the bound stopped the walk. */
    private boolean walkProject(Queues registry, String project) {
      String after = null;
      do {
        long room = maxQueues - examined;
        if (room == 0) {
          partial = true;
          return false;
        }
        QueuePage page = registry.list(project, "", after, (int) Math.min(PAGE, room), false);
        List<String> names = page.queues().stream().map(QueueInfo::name).toList();
        examined += names.size();
        List<Optional<Placement>> placements = catalogue.find(project, names);
        for (int i = 0; i < names.size(); i++) {
          Placement placement = placements.get(i).orElse(Placement.DEFAULT);
          if (!placement.migrating() && considered.containsKey(placement.pool())) {
            pending
                .computeIfAbsent(placement.pool(), pool -> new ArrayList<>())
                .add(new QueueRef(project, names.get(i)));
            pendingCount++;
          }
        }
        if (pendingCount >= PAGE) {
          flush();
        }
        after = page.nextAfter();
      } while (after != null);
      return true;
    }

    /** Counts the pending queues' messages, one pipeline per pool; empty queues cannot help. */
    private void flush() {
      for (Map.Entry<String, List<QueueRef>> entry : pending.entrySet()) {
        List<QueueRef> queues = entry.getValue();
        List<List<Response<Long>>> counts = new ArrayList<>(queues.size());
        try (AbstractPipeline pipeline = connections.get(entry.getKey()).redis().pipelined()) {
          for (QueueRef queue : queues) {
            counts.add(
                Keys.MESSAGES_BY_RANK.stream()
                    .map(index -> pipeline.zcard(bytes(Keys.queue(queue) + index)))
                    .toList());
          }
          pipeline.sync();
        }
        for (int i = 0; i < queues.size(); i++) {
          long messages = counts.get(i).stream().mapToLong(Response::get).sum();
          if (messages > 0) {
            loads.add(new QueueLoad(queues.get(i), entry.getKey(), messages));
          }
        }
      }
      pending.clear();
      pendingCount = 0;
    }
  }
}
