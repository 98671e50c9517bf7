package io.kvdb.gateway.pools;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.migrations.QueueMoves;
import io.kvdb.lua.pools.Placement;
import io.kvdb.lua.pools.PoolRecord;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisProbe;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.script.ScriptRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * This gateway's connections to the pools: one client and script registry per registered pool, with
 * the settings of {@code --redis}; {@code default} is the control Redis's own. A pool is opened
 * when the pool list (reread every interval, and at once on an announcement) shows it, and closed
 * when it goes. A pool that cannot be opened answers its calls UNAVAILABLE and is tried again at
 * the next reread; other pools are unaffected. Each pool's health status is {@code
 * kvdb.pool.<name>}.
 */
public final class PoolConnections implements PoolHealth, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PoolConnections.class);

  /** The gRPC health service name of a pool's status. */
  public static String healthName(String pool) {
    return "kvdb.pool." + pool;
  }

  private final PoolConnection defaultPool;
  private final Supplier<List<PoolRecord>> registered;
  private final RedisConnector.Settings settings;
  private final Durability durability;
  private final HealthStatusManager health;
  private final Map<String, Pool> pools = new ConcurrentHashMap<>();
  private final List<Function<PoolConnection, AutoCloseable>> perPool =
      new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "kvdb-pools");
            thread.setDaemon(true);
            return thread;
          });
  private static final PoolReach UNREACHED = new PoolReach(false, "", false);

  private volatile boolean othersExist;
  private volatile long lastRead;

  /** A registered pool: its client once opened, what hangs on it, what the last probe saw. */
  private static final class Pool {
    final String name;
    final URI uri;
    volatile PoolConnection connection;
    volatile String failure = "is not reached yet";

    /** Null until the first probe. */
    volatile PoolReach reach;

    final List<AutoCloseable> resources = new ArrayList<>();

    Pool(String name, URI uri) {
      this.name = name;
      this.uri = uri;
    }
  }

  /**
   * Reads the pool list once now (so that the first call knows whether other pools exist) and opens
   * the pools it names; those that cannot be opened now are tried again later.
   */
  public PoolConnections(
      UnifiedJedis control,
      ScriptRegistry controlScripts,
      Supplier<List<PoolRecord>> registered,
      RedisConnector.Settings settings,
      Durability durability,
      HealthStatusManager health) {
    this.registered = registered;
    this.settings = settings;
    this.durability = durability;
    this.health = health;
    this.defaultPool = connection(Placement.DEFAULT_POOL, control, control, controlScripts);
    Pool own = new Pool(Placement.DEFAULT_POOL, null);
    own.connection = defaultPool;
    own.failure = null;
    pools.put(own.name, own);
    refresh();
  }

  private PoolConnection connection(
      String name, UnifiedJedis control, UnifiedJedis redis, ScriptRegistry scripts) {
    return new PoolConnection(
        name,
        redis,
        new Queues(control, redis, scripts, durability),
        new Messages(scripts, durability),
        new Claims(scripts, durability),
        new QueueMoves(scripts, durability));
  }

  /** Probes every pool each {@code probeInterval}, rereads the pool list each {@code reread}. */
  public void start(Duration probeInterval, Duration reread) {
    timer.scheduleWithFixedDelay(this::probe, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(
        this::refreshLogged, reread.toMillis(), reread.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Rereads the pool list soon, off the caller's thread: a pool changed. */
  public void refreshSoon() {
    timer.execute(this::refreshLogged);
  }

  /** The control Redis's own pool. */
  public PoolConnection defaultPool() {
    return defaultPool;
  }

  /** Whether any pool besides {@code default} is registered, at the last reread. */
  public boolean othersExist() {
    return othersExist;
  }

  /**
   * The open pool of that name; a pool not in the list at the last reread is looked up once more
   * (it may have just been created), at most once a second.
   */
  public PoolConnection get(String name) {
    Pool pool = pools.get(name);
    if (pool == null && System.currentTimeMillis() - lastRead > 1000) {
      refresh();
      pool = pools.get(name);
    }
    if (pool == null) {
      throw new PoolUnavailableException(name, "is not registered on this gateway yet");
    }
    PoolConnection connection = pool.connection;
    if (connection == null) {
      throw new PoolUnavailableException(name, pool.failure);
    }
    return connection;
  }

  /** Every pool this gateway has open now, {@code default} first. */
  public List<PoolConnection> open() {
    List<PoolConnection> open = new ArrayList<>();
    open.add(defaultPool);
    pools.values().stream()
        .filter(pool -> pool.connection != null && pool.connection != defaultPool)
        .forEach(pool -> open.add(pool.connection));
    return open;
  }

  /**
   * Opens {@code resource} on every pool, now and as pools open, closing it when its pool goes (a
   * subscription, say).
   */
  public void onEachPool(Function<PoolConnection, AutoCloseable> resource) {
    synchronized (this) {
      perPool.add(resource);
      pools.values().stream()
          .filter(pool -> pool.connection != null)
          .forEach(pool -> pool.resources.add(resource.apply(pool.connection)));
    }
  }

  @Override
  public PoolReach reach(String name) {
    Pool pool = pools.get(name);
    if (pool == null || pool.reach == null) {
      // Just created, perhaps: look now (after any reread under way) rather than report it
      // unreached until the next one. Administrators ask this, rarely.
      refreshLogged();
      pool = pools.get(name);
      if (pool == null) {
        return UNREACHED;
      }
    }
    PoolReach reach = pool.reach;
    return reach == null ? probe(pool) : reach;
  }

  private void refreshLogged() {
    try {
      refresh();
    } catch (RuntimeException failure) {
      log.warn("could not reread the pool list: {}", failure.toString());
    }
  }

  /** Opens new pools and those not reached before, closes the pools that are gone. */
  private synchronized void refresh() {
    List<PoolRecord> listed = registered.get();
    lastRead = System.currentTimeMillis();
    List<String> names = new ArrayList<>();
    for (PoolRecord record : listed) {
      if (record.name().equals(Placement.DEFAULT_POOL)) {
        continue;
      }
      names.add(record.name());
      Pool pool = pools.get(record.name());
      if (pool == null) {
        // Listed once its first attempt is over, so that no probe sees it half open.
        pool = new Pool(record.name(), URI.create(record.uri()));
        open(pool);
        pools.put(pool.name, pool);
      } else if (pool.connection == null) {
        open(pool);
      }
    }
    othersExist = !names.isEmpty();
    for (Pool pool : List.copyOf(pools.values())) {
      if (!pool.name.equals(Placement.DEFAULT_POOL) && !names.contains(pool.name)) {
        pools.remove(pool.name);
        log.info("pool {} is no longer registered; closing it", pool.name);
        closePool(pool);
        health.clearStatus(healthName(pool.name));
      }
    }
  }

  private void open(Pool pool) {
    UnifiedJedis client = null;
    try {
      client = RedisConnector.connect(pool.uri, settings);
      ScriptRegistry scripts = ScriptRegistry.load(client);
      PoolConnection connection = connection(pool.name, defaultPool.redis(), client, scripts);
      for (Function<PoolConnection, AutoCloseable> resource : perPool) {
        pool.resources.add(resource.apply(connection));
      }
      pool.connection = connection;
      pool.failure = null;
      log.info("pool {} open ({})", pool.name, topology(client));
    } catch (RuntimeException unreachable) {
      if (client != null) {
        client.close();
      }
      pool.failure = "could not be reached when last tried";
      log.warn("pool {} cannot be reached: {}", pool.name, unreachable.toString());
    }
  }

  private void closePool(Pool pool) {
    pool.resources.forEach(PoolConnections::closeQuietly);
    pool.resources.clear();
    if (pool.connection != null && pool.connection != defaultPool) {
      pool.connection.redis().close();
    }
  }

  /** Pings every open pool: its health status, and what {@link #reach} answers. */
  private void probe() {
    List.copyOf(pools.values()).forEach(this::probe);
  }

  private PoolReach probe(Pool pool) {
    PoolConnection connection = pool.connection;
    PoolReach reach = UNREACHED;
    if (connection != null) {
      UnifiedJedis redis = connection.redis();
      boolean serving = new RedisProbe(redis).ping() == RedisProbe.Answer.READY;
      reach = new PoolReach(serving, topology(redis), serving && replicated(redis));
    }
    PoolReach before = pool.reach;
    if (before == null || before.serving() != reach.serving()) {
      if (before != null) {
        log.warn("pool {} is now {}", pool.name, reach.serving() ? "serving" : "not serving");
      }
      health.setStatus(
          healthName(pool.name),
          reach.serving() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }
    pool.reach = reach;
    return reach;
  }

  private static String topology(UnifiedJedis redis) {
    if (redis instanceof RedisClusterClient) {
      return PoolReach.CLUSTER;
    }
    return redis instanceof RedisSentinelClient ? PoolReach.SENTINEL : PoolReach.STANDALONE;
  }

  /** Whether the primary (of a cluster: the node asked) has a replica connected. */
  private static boolean replicated(UnifiedJedis redis) {
    try {
      String info = redis.info("replication");
      for (String line : info.split("\r?\n")) {
        if (line.startsWith("connected_slaves:")) {
          return Integer.parseInt(line.substring("connected_slaves:".length()).trim()) > 0;
        }
      }
      return false;
    } catch (RuntimeException unknown) {
      return false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      pools.values().forEach(this::closePool);
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      log.warn("while closing {}: {}", resource, e.toString());
    }
  }
}
