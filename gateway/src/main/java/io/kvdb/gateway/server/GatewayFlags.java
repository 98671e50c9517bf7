package io.kvdb.gateway.server;

import io.kvdb.gateway.auth.AuthSettings;
import io.kvdb.gateway.auth.JwtSettings;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.stats.Retention;
import java.lang.annotation.ElementType;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Option;

/**
 * The gateway's flags, one declaration each: name, {@link Env environment variable}, default,
 * {@link Bounds bounds} and help. {@link GatewayConfig#parse} reads them; the help is generated
 * from them.
 */
@Command(
    name = "kvdb-gateway",
    customSynopsis = "java -jar kvdb-gateway.jar [flags]",
    description =
        "Runs a KVDB gateway until SIGTERM or Ctrl-C. A flag wins over its environment"
            + " variable, which wins over the default.",
    sortOptions = false,
    descriptionHeading = "%n",
    optionListHeading = "%n")
final class GatewayFlags {
  @Option(
      names = "--host",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      converter = FlagValues.Host.class,
      description = "address to listen on; 0.0.0.0 to serve other machines")
  @Env("KVDB_HOST")
  String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "50051",
      description = "gRPC port; 0 picks a free one")
  @Env("KVDB_PORT")
  @Bounds(min = 0, max = 65_535)
  int port;

  @Option(
      names = "--tls-cert",
      paramLabel = "PATH",
      converter = FlagValues.PemCertificates.class,
      description =
          "the server's certificate chain (PEM) for TLS on the gRPC port; needs --tls-key;"
              + " without both, plaintext")
  @Env("KVDB_TLS_CERT")
  Path tlsCertificate;

  @Option(
      names = "--tls-key",
      paramLabel = "PATH",
      converter = FlagValues.PemPrivateKey.class,
      description = "the private key of --tls-cert (PEM, unencrypted PKCS#8)")
  @Env("KVDB_TLS_KEY")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "PATH",
      converter = FlagValues.PemCertificates.class,
      description =
          "CA certificates (PEM): clients must present a certificate one of them signed (mutual"
              + " TLS); only with --tls-cert")
  @Env("KVDB_TLS_CLIENT_CA")
  Path tlsClientCa;

  /** The names {@code --auth} accepts. */
  enum AuthMode {
    none,
    keys,
    jwt
  }

  @Option(
      names = "--auth",
      paramLabel = "MODE",
      defaultValue = "none",
      description =
          "none: every caller may do everything (only on a loopback --host unless --insecure);"
              + " keys: API keys (authorization: Bearer <key>); jwt: signed tokens")
  @Env("KVDB_AUTH")
  AuthMode auth;

  @Option(
      names = "--insecure",
      description = "let --auth none serve other machines (logs a warning at every start)")
  @Env("KVDB_INSECURE")
  boolean insecure;

  @Option(
      names = "--auth-cache-ms",
      paramLabel = "MS",
      defaultValue = "1000",
      description =
          "how long a key lookup is cached; a key revoked or rotated on another gateway still"
              + " works here for up to this long; 0: no cache")
  @Env("KVDB_AUTH_CACHE_MS")
  @Bounds(min = 0, max = 60_000)
  int authCacheMillis;

  @Option(
      names = "--bootstrap-admin-key-file",
      paramLabel = "PATH",
      description =
          "a file holding an administrator key (at least 32 characters) for --auth keys, to"
              + " create the first keys; env KVDB_BOOTSTRAP_ADMIN_KEY holds the key itself")
  @Env("KVDB_BOOTSTRAP_ADMIN_KEY_FILE")
  Path bootstrapAdminKeyFile;

  @Option(
      names = "--jwt-hmac-secret-file",
      paramLabel = "PATH",
      description =
          "with --auth jwt: the HMAC secret (HS256/384/512) tokens are signed with, the file's"
              + " bytes without a trailing newline, at least 32 (48 for HS384, 64 for HS512);"
              + " or --jwt-jwks-file")
  @Env("KVDB_JWT_HMAC_SECRET_FILE")
  Path jwtHmacSecretFile;

  @Option(
      names = "--jwt-jwks-file",
      paramLabel = "PATH",
      description =
          "with --auth jwt: a JWK set (JSON) of the RSA and EC public keys tokens are signed"
              + " with (RS, PS, ES 256/384/512), chosen by kid; or --jwt-hmac-secret-file")
  @Env("KVDB_JWT_JWKS_FILE")
  Path jwtJwksFile;

  @Option(
      names = "--jwt-issuer",
      paramLabel = "ISS",
      description = "with --auth jwt: the iss every token must have; without it, any")
  @Env("KVDB_JWT_ISSUER")
  String jwtIssuer;

  @Option(
      names = "--jwt-audience",
      paramLabel = "AUD",
      description = "with --auth jwt: a value the aud of every token must hold; without it, any")
  @Env("KVDB_JWT_AUDIENCE")
  String jwtAudience;

  @Option(
      names = "--jwt-clock-skew-ms",
      paramLabel = "MS",
      defaultValue = "30000",
      description =
          "with --auth jwt: how far the issuer's clock may be from ours for exp, nbf and iat"
              + " (counted in whole seconds, rounded up)")
  @Env("KVDB_JWT_CLOCK_SKEW_MS")
  @Bounds(min = 0, max = 600_000)
  int jwtClockSkewMillis;

  @Option(
      names = "--jwt-projects-claim",
      paramLabel = "NAME",
      defaultValue = JwtSettings.DEFAULT_PROJECTS_CLAIM,
      description =
          "with --auth jwt: the claim listing a token's projects, \"*\" for all (admin only)")
  @Env("KVDB_JWT_PROJECTS_CLAIM")
  String jwtProjectsClaim;

  @Option(
      names = "--jwt-roles-claim",
      paramLabel = "NAME",
      defaultValue = JwtSettings.DEFAULT_ROLES_CLAIM,
      description =
          "with --auth jwt: the claim listing a token's roles: admin, manage, produce, consume,"
              + " read; a token naming another is refused")
  @Env("KVDB_JWT_ROLES_CLAIM")
  String jwtRolesClaim;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      converter = FlagValues.RedisUrl.class,
      description =
          "the Redis to use: redis://[user:password@]host:port[/db] (a cluster if that node is"
              + " in one), redis://host:port,host:port,... (a cluster),"
              + " redis-sentinel://host:port,.../<master> (Sentinel), rediss... for TLS;"
              + " without it, an embedded one")
  @Env("KVDB_REDIS_URL")
  URI redisUrl;

  @Option(
      names = "--redis-tls-ca",
      paramLabel = "PATH",
      converter = FlagValues.PemCertificates.class,
      description =
          "CA certificates (PEM) the rediss Redis's certificate must be signed by; without it,"
              + " the JVM's default trust store")
  @Env("KVDB_REDIS_TLS_CA")
  Path redisTlsCa;

  @Option(
      names = "--redis-tls-cert",
      paramLabel = "PATH",
      converter = FlagValues.PemCertificates.class,
      description =
          "a client certificate chain (PEM) for a Redis with tls-auth-clients; needs"
              + " --redis-tls-key")
  @Env("KVDB_REDIS_TLS_CERT")
  Path redisTlsCertificate;

  @Option(
      names = "--redis-tls-key",
      paramLabel = "PATH",
      converter = FlagValues.PemPrivateKey.class,
      description = "the private key of --redis-tls-cert (PEM, unencrypted PKCS#8)")
  @Env("KVDB_REDIS_TLS_KEY")
  Path redisTlsKey;

  @Option(
      names = "--embedded-redis-binary",
      paramLabel = "PATH",
      converter = FlagValues.Executable.class,
      description =
          "the redis-server the embedded Redis runs (e.g. /usr/bin/redis-server); without it,"
              + " the Redis 6.2 shipped in the jar (or redis-server from the PATH)")
  @Env("KVDB_EMBEDDED_REDIS_BINARY")
  Path embeddedRedisBinary;

  @Option(
      names = "--redis-pool-size",
      paramLabel = "N",
      defaultValue = "64",
      description = "Redis connections at most")
  @Env("KVDB_REDIS_POOL_SIZE")
  @Bounds(min = 1, max = 10_000)
  int redisPoolSize;

  @Option(
      names = "--redis-timeout-ms",
      paramLabel = "MS",
      defaultValue = "2000",
      description = "connect and command timeout; past it a call answers UNAVAILABLE")
  @Env("KVDB_REDIS_TIMEOUT_MS")
  @Bounds(min = 1, max = 600_000)
  int redisTimeoutMillis;

  /**
   * The names {@code --durability} accepts, as queues' {@code _durability} metadata spells them.
   */
  enum DurabilityMode {
    memory,
    replicated
  }

  @Option(
      names = "--durability",
      paramLabel = "MODE",
      defaultValue = "memory",
      description =
          "memory: a write is acknowledged once the Redis primary has it; replicated: once a"
              + " replica has it too (WAIT). For locks, and queues without _durability metadata")
  @Env("KVDB_DURABILITY")
  DurabilityMode durability;

  @Option(
      names = "--replica-wait-ms",
      paramLabel = "MS",
      defaultValue = "1000",
      description = "how long a replicated write waits for a replica; then UNAVAILABLE")
  @Env("KVDB_REPLICA_WAIT_MS")
  @Bounds(min = 1, max = 60_000)
  int replicaWaitMillis;

  /** At least 10 ms: each check is a Redis round trip. */
  @Option(
      names = "--health-interval-ms",
      paramLabel = "MS",
      defaultValue = "1000",
      description =
          "how often health pings Redis; it follows Redis within this plus --redis-timeout-ms")
  @Env("KVDB_HEALTH_INTERVAL_MS")
  @Bounds(min = 10, max = 60_000)
  int healthIntervalMillis;

  /** Bounds how long a gateway that missed an announcement routes a queue by its old pool. */
  @Option(
      names = "--catalogue-cache-ms",
      paramLabel = "MS",
      defaultValue = "1000",
      description =
          "how long a gateway keeps a queue's placement (which pool it lives in) before rereading"
              + " it; a migration waits this long before moving messages")
  @Env("KVDB_CATALOGUE_CACHE_MS")
  @Bounds(min = 10, max = 600_000)
  int catalogueCacheMillis;

  @Option(
      names = "--shutdown-grace-seconds",
      paramLabel = "S",
      defaultValue = "20",
      description = "time in-flight calls get to finish on SIGTERM")
  @Env("KVDB_SHUTDOWN_GRACE_SECONDS")
  @Bounds(min = 0, max = 3600)
  int shutdownGraceSeconds;

  /**
   * At most {@link MessageLimits#DEFAULTS}' default TTL, which a longer minimum would make invalid.
   */
  @Option(
      names = "--min-message-ttl-ms",
      paramLabel = "MS",
      defaultValue = "60000",
      description = "shortest message TTL accepted (Zaqar's 60 s; the tests use 200)")
  @Env("KVDB_MIN_MESSAGE_TTL_MS")
  @Bounds(min = 0, max = 3_600_000)
  int minMessageTtlMillis;

  /** At most {@link MessageLimits#DEFAULTS}' longest claim TTL. */
  @Option(
      names = "--min-claim-ttl-ms",
      paramLabel = "MS",
      defaultValue = "60000",
      description = "shortest claim TTL accepted")
  @Env("KVDB_MIN_CLAIM_TTL_MS")
  @Bounds(min = 0, max = 43_200_000)
  int minClaimTtlMillis;

  /** At most {@link MessageLimits#DEFAULTS}' longest grace. */
  @Option(
      names = "--min-claim-grace-ms",
      paramLabel = "MS",
      defaultValue = "60000",
      description = "shortest claim grace accepted")
  @Env("KVDB_MIN_CLAIM_GRACE_MS")
  @Bounds(min = 0, max = 43_200_000)
  int minClaimGraceMillis;

  @Option(
      names = "--idempotency-window-ms",
      paramLabel = "MS",
      defaultValue = "300000",
      description =
          "how long a post's idempotency key is remembered: a post with the same key stores"
              + " nothing in that time")
  @Env("KVDB_IDEMPOTENCY_WINDOW_MS")
  @Bounds(min = 1, max = 86_400_000)
  int idempotencyWindowMillis;

  /** At least 10 ms: each run takes a lock and a Redis round trip or more. */
  @Option(
      names = "--collect-interval-ms",
      paramLabel = "MS",
      defaultValue = "5000",
      description =
          "how often the background collector runs (on one gateway of all sharing a Redis)")
  @Env("KVDB_COLLECT_INTERVAL_MS")
  @Bounds(min = 10, max = 86_400_000)
  int collectIntervalMillis;

  /** Bounds how stale the stored-messages usage a post is checked against may be. */
  @Option(
      names = "--quota-refresh-ms",
      paramLabel = "MS",
      defaultValue = "1000",
      description =
          "how often a gateway rereads a project's quota and usage (its checks lag this much)")
  @Env("KVDB_QUOTA_REFRESH_MS")
  @Bounds(min = 10, max = 600_000)
  int quotaRefreshMillis;

  @Option(
      names = "--rollup-interval-ms",
      paramLabel = "MS",
      defaultValue = "60000",
      description = "how often statistics are rolled up (likewise on one gateway)")
  @Env("KVDB_ROLLUP_INTERVAL_MS")
  @Bounds(min = 10, max = 86_400_000)
  int rollupIntervalMillis;

  @Option(
      names = "--stats-minutes-hours",
      paramLabel = "H",
      defaultValue = "48",
      description = "how long minute buckets are kept")
  @Env("KVDB_STATS_MINUTES_HOURS")
  @Bounds(min = 1, max = 24 * 365)
  int statsMinutesHours;

  @Option(
      names = "--stats-hours-days",
      paramLabel = "D",
      defaultValue = "60",
      description = "how long hour buckets are kept")
  @Env("KVDB_STATS_HOURS_DAYS")
  @Bounds(min = 1, max = 36_500)
  int statsHoursDays;

  @Option(
      names = "--stats-days-days",
      paramLabel = "D",
      defaultValue = "1095",
      description = "how long day buckets are kept (month buckets: forever)")
  @Env("KVDB_STATS_DAYS_DAYS")
  @Bounds(min = 1, max = 36_500)
  int statsDaysDays;

  @Option(
      names = "--stats-payload-max-bytes",
      paramLabel = "N",
      defaultValue = "65536",
      description = "longest sample or slow-response payload kept; longer ones are cut and flagged")
  @Env("KVDB_STATS_PAYLOAD_MAX_BYTES")
  @Bounds(min = 0, max = 4 * 1024 * 1024)
  int statsPayloadMaxBytes;

  @Option(
      names = "--broker-retention",
      paramLabel = "N",
      defaultValue = "10000",
      description = "messages each broker channel keeps for replay")
  @Env("KVDB_BROKER_RETENTION")
  @Bounds(min = 1, max = 100_000_000)
  int brokerRetention;

  @Option(
      names = "--admin-api",
      description =
          "serve the pool and flavor services (for administrators): without it they answer"
              + " UNIMPLEMENTED")
  @Env("KVDB_ADMIN_API")
  boolean adminApi;

  @Option(
      names = "--migrate-interval-ms",
      paramLabel = "MS",
      defaultValue = "100",
      description =
          "how often the queue migrator moves running migrations a step (on one gateway of all"
              + " sharing a Redis)")
  @Env("KVDB_MIGRATE_INTERVAL_MS")
  @Bounds(min = 10, max = 60_000)
  int migrateIntervalMillis;

  @Option(names = "--help", usageHelp = true, description = "this text")
  boolean help;

  GatewayConfig toConfig(Map<String, String> env) {
    return new GatewayConfig(
        host,
        port,
        Optional.ofNullable(redisUrl),
        Optional.ofNullable(embeddedRedisBinary),
        redisPoolSize,
        Duration.ofMillis(redisTimeoutMillis),
        Duration.ofMillis(healthIntervalMillis),
        Duration.ofMillis(catalogueCacheMillis),
        new Durability(
            durability == DurabilityMode.replicated, Duration.ofMillis(replicaWaitMillis)),
        Duration.ofSeconds(shutdownGraceSeconds),
        MessageLimits.DEFAULTS
            .withMinimums(
                Duration.ofMillis(minMessageTtlMillis),
                Duration.ofMillis(minClaimTtlMillis),
                Duration.ofMillis(minClaimGraceMillis))
            .withIdempotencyWindow(Duration.ofMillis(idempotencyWindowMillis)),
        Duration.ofMillis(collectIntervalMillis),
        Duration.ofMillis(quotaRefreshMillis),
        Duration.ofMillis(rollupIntervalMillis),
        new Retention(
            Duration.ofHours(statsMinutesHours),
            Duration.ofDays(statsHoursDays),
            Duration.ofDays(statsDaysDays)),
        statsPayloadMaxBytes,
        brokerRetention,
        ServerTls.of(tlsCertificate, tlsKey, tlsClientCa),
        new AuthSettings(
            AuthSettings.Mode.valueOf(auth.name().toUpperCase(Locale.ROOT)),
            insecure,
            Duration.ofMillis(authCacheMillis),
            BootstrapKey.read(bootstrapAdminKeyFile, env.get(BootstrapKey.ENV)),
            jwtSettings()),
        RedisTls.of(redisTlsCa, redisTlsCertificate, redisTlsKey, redisUrl),
        adminApi,
        Duration.ofMillis(migrateIntervalMillis));
  }

  /** The token settings of {@code --auth jwt}; a key file flag without it is a mistake. */
  private Optional<JwtSettings> jwtSettings() {
    if (auth != AuthMode.jwt) {
      if (jwtHmacSecretFile != null || jwtJwksFile != null) {
        throw new IllegalArgumentException(
            "--jwt-hmac-secret-file and --jwt-jwks-file need --auth jwt");
      }
      return Optional.empty();
    }
    return Optional.of(
        JwtSettings.of(
            jwtHmacSecretFile,
            jwtJwksFile,
            jwtIssuer,
            jwtAudience,
            Duration.ofMillis(jwtClockSkewMillis),
            jwtProjectsClaim,
            jwtRolesClaim));
  }

  /** The environment variable a flag falls back to when it is not given. */
  @java.lang.annotation.Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  @interface Env {
    String value();
  }

  /** The whole numbers a flag accepts, from its default or environment variable as well. */
  @java.lang.annotation.Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  @interface Bounds {
    int min();

    int max();
  }

  static Optional<String> env(ArgSpec flag) {
    return annotation(flag, Env.class).map(Env::value);
  }

  static Optional<Bounds> bounds(ArgSpec flag) {
    return annotation(flag, Bounds.class);
  }

  private static <A extends java.lang.annotation.Annotation> Optional<A> annotation(
      ArgSpec flag, Class<A> type) {
    return flag.userObject() instanceof Field field
        ? Optional.ofNullable(field.getAnnotation(type))
        : Optional.empty();
  }
}
