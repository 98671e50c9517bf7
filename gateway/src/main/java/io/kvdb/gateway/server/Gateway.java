package io.kvdb.gateway.server;

import io.grpc.BindableService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.kvdb.gateway.api.ClientCertificateInterceptor;
import io.kvdb.gateway.api.HeaderSizeLimit;
import io.kvdb.gateway.api.ProjectInterceptor;
import io.kvdb.gateway.api.StatusMessageLimit;
import io.kvdb.gateway.api.UnparsableRequests;
import io.kvdb.gateway.auth.AuthInterceptor;
import io.kvdb.lua.script.ScriptRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A running gateway: Redis (configured or embedded), the scripts loaded into it, and the gRPC
 * server with every KVDB service, health and reflection. Only wiring lives here.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);
  private static final String VERSION = versionOf(Gateway.class);
  private static final ThreadFactory CALLBACK_THREADS =
      runnable -> {
        Thread thread = new Thread(runnable, "kvdb-call");
        thread.setDaemon(true);
        return thread;
      };

  private final GatewayConfig config;
  private final RedisBackend redis;
  private final Server server;
  private final HealthStatusManager health;
  private final RedisHealthWatcher healthWatcher;
  private final List<EventLoopGroup> eventLoops;
  private final ExecutorService callbacks;
  private final Services services;

  private Gateway(
      GatewayConfig config,
      RedisBackend redis,
      Server server,
      ExecutorService callbacks,
      HealthStatusManager health,
      RedisHealthWatcher healthWatcher,
      List<EventLoopGroup> eventLoops,
      Services services) {
    this.config = config;
    this.redis = redis;
    this.server = server;
    this.callbacks = callbacks;
    this.health = health;
    this.healthWatcher = healthWatcher;
    this.eventLoops = eventLoops;
    this.services = services;
  }

  /**
   * Connects to (or starts) Redis, loads the scripts and starts serving. On failure everything
   * already started is released, so nothing keeps the JVM alive, and the exception says what
   * failed.
   */
  public static Gateway start(GatewayConfig config) {
    long started = System.nanoTime();
    Deque<AutoCloseable> opened = new ArrayDeque<>();
    // Before Redis: an open gateway off loopback and unusable TLS files fail the start at once.
    OpenAccess.check(config);
    NettyServerBuilder builder = serverBuilder(config);
    RedisBackend redis = RedisBackend.open(config);
    opened.push(redis);
    try {
      ScriptRegistry scripts = loadScripts(redis);
      HealthStatusManager health = new HealthStatusManager();
      Services services = new Services(config, redis.client(), scripts, health);
      opened.push(services);

      TransportErrorLog.install();
      List.of(health.getHealthService(), ProtoReflectionServiceV1.newInstance(), legacyReflection())
          .forEach(
              service -> builder.addService(UnparsableRequests.refused(service.bindService())));
      ProjectInterceptor projects = new ProjectInterceptor();
      ClientCertificateInterceptor certificates = new ClientCertificateInterceptor();
      AuthInterceptor auth = new AuthInterceptor(services.authenticator());
      // The last interceptor runs first: the certificate, then the project header (a bad one
      // answers INVALID_ARGUMENT naming it), then the credential, which needs both.
      services
          .grpc()
          .forEach(
              service ->
                  builder.addService(
                      UnparsableRequests.refused(
                          ServerInterceptors.intercept(service, auth, projects, certificates))));
      List<EventLoopGroup> eventLoops = useEpollIfAvailable(builder);
      eventLoops.forEach(loop -> opened.push(loop::shutdownGracefully));
      // The gateway's own, so that it can wait for the last callbacks (a cut stream giving back
      // its messages) before it closes Redis; grpc's shared executor cannot be waited for.
      ExecutorService callbacks = Executors.newCachedThreadPool(CALLBACK_THREADS);
      opened.push(callbacks::shutdownNow);
      Server server = builder.executor(callbacks).build().start();
      opened.push(server::shutdownNow);

      List<String> names =
          services.grpc().stream()
              .map(service -> service.getServiceDescriptor().getName())
              .toList();
      RedisHealthWatcher watcher =
          new RedisHealthWatcher(redis.client(), health, names, config.redisTimeout());
      opened.push(watcher);
      watcher.start(config.healthInterval());
      log.info(
          "KVDB gateway {} serving {} on {}:{} ({}, {}, {}), {}, ready in {} ms",
          VERSION,
          names,
          config.host(),
          server.getPort(),
          config.tls().map(ServerTls::mode).orElse("plaintext"),
          config.auth().describe(),
          eventLoops.isEmpty() ? "nio" : "epoll",
          redis.describe(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      services.startBackgroundJobs();
      services.warnIfLockedOut();
      return new Gateway(config, redis, server, callbacks, health, watcher, eventLoops, services);
    } catch (IOException e) {
      release(opened);
      throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
    } catch (RuntimeException e) {
      release(opened);
      throw e;
    }
  }

  private static NettyServerBuilder serverBuilder(GatewayConfig config) {
    ServerCredentials credentials =
        config.tls().map(ServerTls::credentials).orElseGet(InsecureServerCredentials::create);
    NettyServerBuilder builder;
    try {
      builder =
          NettyServerBuilder.forAddress(
              new InetSocketAddress(config.host(), config.port()), credentials);
    } catch (IllegalArgumentException unusable) {
      throw new IllegalArgumentException(
          "cannot use --tls-cert and --tls-key: " + unusable.getMessage(), unusable);
    }
    return builder
        .maxInboundMetadataSize(HeaderSizeLimit.TRANSPORT_MAX_BYTES)
        .intercept(new StatusMessageLimit())
        .intercept(new HeaderSizeLimit());
  }

  private static ScriptRegistry loadScripts(RedisBackend redis) {
    try {
      return RedisAtStart.patiently(redis.where(), () -> ScriptRegistry.load(redis.client()));
    } catch (JedisException unusable) {
      throw new IllegalStateException(
          "cannot load the scripts into " + redis.where() + ": " + unusable.getMessage(), unusable);
    }
  }

  private static void release(Deque<AutoCloseable> opened) {
    for (AutoCloseable resource : opened) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("while releasing {} after a failed start", resource, e);
      }
    }
  }

  /** The port the server listens on (useful when configured as 0). */
  public int port() {
    return server.getPort();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  /**
   * Graceful stop: report NOT_SERVING, refuse new calls, give in-flight calls the configured grace
   * to finish, then cancel what is left and release Redis.
   */
  @Override
  public void close() {
    log.info("stopping: in-flight calls get {} s to finish", config.shutdownGrace().toSeconds());
    health.enterTerminalState();
    healthWatcher.close();
    services.stopBackgroundJobs();
    server.shutdown();
    try {
      if (!server.awaitTermination(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("grace period over; cancelling the calls still running");
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    finishCallbacks();
    eventLoops.forEach(EventLoopGroup::shutdownGracefully);
    services.close();
    redis.close();
    log.info("stopped");
  }

  /** Lets the callbacks of the calls just cancelled run to their end, while Redis is still open. */
  private void finishCallbacks() {
    callbacks.shutdown();
    try {
      if (!callbacks.awaitTermination(
          config.redisTimeout().multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("call callbacks still running as the gateway stops");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** v1alpha reflection, for grpcurl before 1.8.8 and other tools that know no other. */
  @SuppressWarnings("deprecation")
  private static BindableService legacyReflection() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  private static List<EventLoopGroup> useEpollIfAvailable(NettyServerBuilder builder) {
    if (!Epoll.isAvailable()) {
      return List.of();
    }
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory());
    builder
        .channelType(EpollServerSocketChannel.class)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers);
    return List.of(boss, workers);
  }

  private static String versionOf(Class<?> type) {
    String version = type.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
