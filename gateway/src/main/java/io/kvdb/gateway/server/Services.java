package io.kvdb.gateway.server;

import io.grpc.BindableService;
import io.kvdb.gateway.auth.AuthSettings;
import io.kvdb.gateway.auth.Authenticator;
import io.kvdb.gateway.auth.Grant;
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
import io.kvdb.gateway.queues.QueueService;
import io.kvdb.gateway.stats.StatsProjects;
import io.kvdb.gateway.stats.StatsService;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.lua.broker.Broker;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.dictionaries.Dictionaries;
import io.kvdb.lua.keys.ApiKeys;
import io.kvdb.lua.locks.Locks;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.queues.Queues;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.stats.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/** The gateway's services and background jobs, wired over one Redis and its scripts. */
final class Services implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Services.class);

  private final GatewayConfig config;
  private final Locks locks;
  private final Collector collector;
  private final List<BindableService> grpc;
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(daemon("kvdb-wait-timer"));
  private final ExecutorService retries = Executors.newCachedThreadPool(daemon("kvdb-wait-retry"));
  private final StatsProjects statsProjects;
  private final KeyAuthenticator keyAuthenticator;
  private ClusterSingleton collectorJob;
  private ClusterSingleton rollupJob;

  Services(GatewayConfig config, UnifiedJedis redis, ScriptRegistry scripts) {
    this.config = config;
    this.locks = new Locks(scripts, Locks.FORGET_FENCES_AFTER, config.durability());
    Queues queues = new Queues(redis, scripts, config.durability());
    Messages messages = new Messages(scripts, config.durability());
    DeadLetterMover deadLetters = new DeadLetterMover(messages, queues, config.messageLimits());
    PatientCall.Runtime waiting = new PatientCall.Runtime(timer, retries);
    LockService lockService = new LockService(locks, redis, waiting);
    ClaimService claimService =
        new ClaimService(
            new Claims(scripts, config.durability()),
            deadLetters,
            config.messageLimits(),
            redis,
            waiting);
    BrokerService brokerService =
        new BrokerService(new Broker(scripts), config.brokerRetention(), redis, waiting);
    resources.add(brokerService);
    resources.add(lockService);
    resources.add(claimService);
    this.collector = new Collector(queues, messages, deadLetters);
    Stats stats = new Stats(redis, scripts, config.statsRetention());
    this.statsProjects = new StatsProjects(stats);
    ApiKeys apiKeys = new ApiKeys(redis, scripts);
    this.keyAuthenticator =
        new KeyAuthenticator(apiKeys, config.auth().bootstrapAdminKey(), config.auth().cacheTtl());
    this.grpc =
        List.of(
            new QueueService(queues, config.messageLimits()),
            new MessageService(messages, queues, config.messageLimits()),
            claimService,
            lockService,
            new StatsService(stats, statsProjects, config.statsPayloadMaxBytes()),
            new DictionaryService(new Dictionaries(redis, scripts)),
            brokerService,
            new KeyService(apiKeys, keyAuthenticator::invalidate));
  }

  List<BindableService> grpc() {
    return grpc;
  }

  /** The authenticator of the {@code --auth} mode: the one place each mode's is made. */
  Authenticator authenticator() {
    return switch (config.auth().mode()) {
      case NONE -> (headers, certificate) -> Grant.OPEN;
      case KEYS -> keyAuthenticator;
      // The JwtAuthenticator plugs in here.
      case JWT -> throw new IllegalArgumentException("--auth jwt is not available yet");
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
  }

  void stopBackgroundJobs() {
    if (collectorJob != null) {
      collectorJob.close();
      rollupJob.close();
    }
  }

  @Override
  public void close() {
    stopBackgroundJobs();
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("while stopping {}", resource, e);
      }
    }
    timer.shutdownNow();
    retries.shutdownNow();
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
