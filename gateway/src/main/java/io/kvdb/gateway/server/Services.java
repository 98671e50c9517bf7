package io.kvdb.gateway.server;

import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kvdb.gateway.auth.AuthSettings;
import io.kvdb.gateway.auth.Authenticator;
import io.kvdb.gateway.auth.Grant;
import io.kvdb.gateway.auth.JwtAuthenticator;
import io.kvdb.gateway.broker.BrokerService;
import io.kvdb.gateway.claims.ClaimService;
import io.kvdb.gateway.dictionaries.DictionaryService;
import io.kvdb.gateway.jobs.ClusterSingleton;
import io.kvdb.gateway.jobs.Collector;
import io.kvdb.gateway.keys.KeyAuthenticator;
import io.kvdb.gateway.keys.KeyService;
import io.kvdb.gateway.locks.LockService;
import io.kvdb.gateway.messages.DeadLetterMover;
import io.kvdb.gateway.messages.MessageService;
import io.kvdb.gateway.pools.FlavorService;
import io.kvdb.gateway.pools.Migrator;
import io.kvdb.gateway.pools.PlacementEvents;
import io.kvdb.gateway.pools.PoolConnections;
import io.kvdb.gateway.pools.PoolService;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.gateway.pools.RebalancePlanner;
import io.kvdb.gateway.queues.QueueService;
import io.kvdb.gateway.quotas.QuotaCache;
import io.kvdb.gateway.quotas.QuotaChecks;
import io.kvdb.gateway.quotas.QuotaService;
import io.kvdb.gateway.quotas.RateLimiter;
import io.kvdb.gateway.stats.StatsProjects;
import io.kvdb.gateway.stats.StatsService;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.gateway.wait.Wakeups;
import io.kvdb.lua.Keys;
import io.kvdb.lua.broker.Broker;
import io.kvdb.lua.dictionaries.Dictionaries;
import io.kvdb.lua.keys.ApiKeys;
import io.kvdb.lua.locks.Locks;
import io.kvdb.lua.migrations.Migrations;
import io.kvdb.lua.migrations.QueueMoves;
import io.kvdb.lua.pools.Catalogue;
import io.kvdb.lua.pools.Flavors;
import io.kvdb.lua.pools.Pools;
import io.kvdb.lua.quotas.Quotas;
import io.kvdb.lua.redis.ChannelSubscription;
import io.kvdb.lua.redis.RedisAddress;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.stats.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * The gateway's services and background jobs, wired over the control Redis and its scripts, and the
 * pools queues live in.
 */
final class Services implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Services.class);

  /** How often the pool list is reread even without an announcement. */
  private static final Duration POOL_REREAD = Duration.ofSeconds(5);

  private final GatewayConfig config;
  private final Locks locks;
  private final Collector collector;
  private final List<ServerServiceDefinition> grpc;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("kvdb-wait-timer"));
  private final ExecutorService retries = Executors.newCachedThreadPool(daemon("kvdb-wait-retry"));
  private final StatsProjects statsProjects;
  private final KeyAuthenticator keyAuthenticator;
  private ClusterSingleton collectorJob;
  private ClusterSingleton rollupJob;
  private ClusterSingleton migratorJob;
  private final Migrator migrator;
  private final Migrations migrations;

  Services(
      GatewayConfig config,
      UnifiedJedis redis,
      ScriptRegistry scripts,
      HealthStatusManager health) {
    this.config = config;
    this.locks = new Locks(scripts, Locks.FORGET_FENCES_AFTER, config.durability());
    PoolConnections pools =
        new PoolConnections(
            redis,
            scripts,
            new Pools(scripts)::list,
            RedisBackend.settings(config),
            config.durability(),
            health);
    resources.add(pools);
    pools.start(config.healthInterval(), POOL_REREAD);
    QueueRouter router =
        new QueueRouter(pools, new Catalogue(redis, scripts), config.catalogueCacheTime());
    resources.add(
        ChannelSubscription.start(
            redis, Keys.PLACEMENT_CHANNEL, new PlacementEvents(pools, router)));
    DeadLetterMover deadLetters = new DeadLetterMover(router, config.messageLimits());
    PatientCall.Runtime waiting = new PatientCall.Runtime(timer, retries);
    LockService lockService = new LockService(locks, redis, waiting);
    Wakeups posts = new Wakeups(Keys.MESSAGES_READY_CHANNEL, true);
    pools.onEachPool(pool -> posts.listenOn(pool.redis()));
    ClaimService claimService =
        new ClaimService(router, deadLetters, config.messageLimits(), posts, waiting);
    BrokerService brokerService =
        new BrokerService(new Broker(scripts), config.brokerRetention(), redis, waiting);
    resources.add(brokerService);
    resources.add(lockService);
    resources.add(claimService);
    Quotas quotas = new Quotas(redis, scripts);
    QuotaCache quotaCache = new QuotaCache(quotas, config.quotaRefreshInterval());
    QuotaChecks quotaChecks =
        new QuotaChecks(
            quotaCache, quotas, config.collectInterval().plus(config.quotaRefreshInterval()));
    RateLimiter rateLimiter = new RateLimiter(quotaCache, quotas);
    this.collector = new Collector(pools, router, deadLetters, quotas);
    this.migrations = new Migrations(scripts);
    // Each migration gets half an interval a round, so a round stays well inside the job's lease.
    this.migrator =
        new Migrator(
            redis,
            migrations,
            new Pools(scripts),
            pools,
            router,
            config.catalogueCacheTime(),
            config.migrateInterval().dividedBy(2),
            QueueMoves.MAX_BATCH);
    Stats stats = new Stats(redis, scripts, config.statsRetention());
    this.statsProjects = new StatsProjects(stats);
    ApiKeys apiKeys = new ApiKeys(redis, scripts);
    this.keyAuthenticator =
        new KeyAuthenticator(apiKeys, config.auth().bootstrapAdminKey(), config.auth().cacheTtl());
    List<BindableService> projectServices =
        List.of(
            new QueueService(router, config.messageLimits(), quotaChecks, migrations),
            new MessageService(router, config.messageLimits(), quotaChecks),
            claimService,
            lockService,
            new StatsService(stats, statsProjects, config.statsPayloadMaxBytes()),
            new DictionaryService(new Dictionaries(redis, scripts)),
            brokerService);
    List<ServerServiceDefinition> services = new ArrayList<>();
    // Every call of a project's data services counts against its request rate; the
    // administrators' key and quota services do not.
    projectServices.forEach(
        service -> services.add(ServerInterceptors.intercept(service, rateLimiter)));
    services.add(new KeyService(apiKeys, keyAuthenticator::invalidate).bindService());
    services.add(new QuotaService(quotas, quotaCache).bindService());
    if (config.adminApi()) {
      services.addAll(adminServices(redis, scripts, pools));
    }
    this.grpc = List.copyOf(services);
  }

  /** The pool and flavor services of {@code --admin-api}. */
  private List<ServerServiceDefinition> adminServices(
      UnifiedJedis redis, ScriptRegistry scripts, PoolConnections health) {
    String control = config.redisUrl().map(uri -> RedisAddress.parse(uri).redacted()).orElse("");
    return List.of(
        new PoolService(
                redis,
                new Pools(scripts),
                health,
                RedisBackend.settings(config),
                control,
                new RebalancePlanner(
                    health,
                    new Pools(scripts),
                    new Flavors(scripts),
                    new Catalogue(redis, scripts)),
                migrator,
                migrations)
            .bindService(),
        new FlavorService(new Flavors(scripts), health).bindService());
  }

  /** The gRPC services, each behind the interceptors it needs of its own. */
  List<ServerServiceDefinition> grpc() {
    return grpc;
  }

  /** The authenticator of the {@code --auth} mode: the one place each mode's is made. */
  Authenticator authenticator() {
    return switch (config.auth().mode()) {
      case NONE -> (headers, certificate) -> Grant.OPEN;
      case KEYS -> keyAuthenticator;
      case JWT -> JwtAuthenticator.create(config.auth().jwt().orElseThrow());
    };
  }

  /** With {@code --auth keys}, says how to get in when nobody can yet. */
  void warnIfLockedOut() {
    if (config.auth().mode() == AuthSettings.Mode.KEYS) {
      keyAuthenticator.warnIfLockedOut();
    }
  }

  /** Jobs that must run once per cluster take a KVDB lock, so gateways may share a Redis. */
  void startBackgroundJobs() {
    collectorJob =
        new ClusterSingleton("queue-collector", locks, config.collectInterval(), collector).start();
    rollupJob =
        new ClusterSingleton("stats-rollup", locks, config.rollupInterval(), statsProjects).start();
    migratorJob =
        new ClusterSingleton("queue-migrator", locks, config.migrateInterval(), migrator).start();
  }

  void stopBackgroundJobs() {
    if (collectorJob != null) {
      collectorJob.close();
      rollupJob.close();
      migratorJob.close();
    }
  }

  @Override
  public void close() {
    stopBackgroundJobs();
    finishRedisCallsUnderWay();
    // Last opened, first closed: a Consume stream gives back its messages before its pool closes.
    List<AutoCloseable> lastFirst = new ArrayList<>(resources);
    Collections.reverse(lastFirst);
    for (AutoCloseable resource : lastFirst) {
      try {
        resource.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        log.warn("while stopping {}", resource, e);
      }
    }
    retries.shutdownNow();
  }

  /**
   * Lets the calls to Redis that are under way end (a claim whose stream was just cut releases its
   * messages at once), while nothing new starts: parked waits are dropped with their timer.
   */
  private void finishRedisCallsUnderWay() {
    timer.shutdownNow();
    retries.shutdown();
    try {
      if (!retries.awaitTermination(
          config.redisTimeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("calls to Redis still under way as the gateway stops");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
