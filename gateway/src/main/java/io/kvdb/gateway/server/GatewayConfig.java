package io.kvdb.gateway.server;

import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.stats.Retention;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The gateway's settings, from command-line flags ({@code --port 50051} or {@code --port=50051})
 * over environment variables over defaults. {@link #USAGE} is the reference.
 */
public record GatewayConfig(
    String host,
    int port,
    Optional<URI> redisUrl,
    Optional<Path> embeddedRedisBinary,
    int redisPoolSize,
    Duration redisTimeout,
    Duration shutdownGrace,
    MessageLimits messageLimits,
    Duration collectInterval,
    Duration rollupInterval,
    Retention statsRetention,
    int statsPayloadMaxBytes,
    int brokerRetention) {

  /** Background jobs run at most this often: each run takes a lock and a Redis round trip or more. */
  private static final int MIN_INTERVAL_MILLIS = 10;

  public static final String USAGE = """
      Usage: java -jar kvdb-gateway.jar [flags]
        --host HOST                   address to listen on (env KVDB_HOST, default 127.0.0.1;
                                      0.0.0.0 to serve other machines)
        --port PORT                   gRPC port (env KVDB_PORT, default 50051; 0 picks a free one)
        --redis URL                   redis://[user:password@]host:port[/db], or rediss:// for TLS
                                      (env KVDB_REDIS_URL; default: start an embedded Redis)
        --embedded-redis-binary PATH  the redis-server the embedded Redis runs (default: the
                                      Redis 6.2 shipped in the jar, or redis-server from PATH)
        --redis-pool-size N           Redis connections at most (default 64)
        --redis-timeout-ms MS         connect and command timeout (default 2000)
        --shutdown-grace-seconds S    time in-flight calls get to finish on SIGTERM (default 20)
        --min-message-ttl-ms MS       shortest message TTL accepted (default 60000; at most 3600000)
        --min-claim-ttl-ms MS         shortest claim TTL accepted (default 60000)
        --min-claim-grace-ms MS       shortest claim grace accepted (default 60000)
        --collect-interval-ms MS      how often the background collector runs (default 5000; at least 10)
        --rollup-interval-ms MS       how often statistics are rolled up (default 60000; at least 10)
        --stats-minutes-hours H       how long minute buckets are kept (default 48)
        --stats-hours-days D          how long hour buckets are kept (default 60)
        --stats-days-days D           how long day buckets are kept (default 1095; months: forever)
        --stats-payload-max-bytes N   longest sample or slow-response payload kept (default 65536)
        --broker-retention N          messages a broker channel keeps for replay (default 10000)
        --help                        this text
      """;

  public static GatewayConfig defaults() {
    return parse(new String[0], Map.of());
  }

  public static GatewayConfig parse(String[] args, Map<String, String> env) {
    Map<String, String> flags = flags(args);
    String redis = flags.getOrDefault("redis", env.getOrDefault("KVDB_REDIS_URL", ""));
    return new GatewayConfig(
        host(flags.getOrDefault("host", env.getOrDefault("KVDB_HOST", "127.0.0.1"))),
        number(flags.getOrDefault("port", env.getOrDefault("KVDB_PORT", "50051")), "port", 0, 65535),
        redis.isBlank() ? Optional.empty() : Optional.of(redisUrl(redis)),
        Optional.ofNullable(flags.get("embedded-redis-binary")).map(GatewayConfig::executable),
        number(flags.getOrDefault("redis-pool-size", "64"), "redis-pool-size", 1, 10_000),
        Duration.ofMillis(number(flags.getOrDefault("redis-timeout-ms", "2000"), "redis-timeout-ms", 1, 600_000)),
        Duration.ofSeconds(number(flags.getOrDefault("shutdown-grace-seconds", "20"), "shutdown-grace-seconds", 0, 3600)),
        MessageLimits.DEFAULTS.withMinimums(
            millis(flags, "min-message-ttl-ms", 60_000, 0, MessageLimits.DEFAULTS.defaultTtl()),
            millis(flags, "min-claim-ttl-ms", 60_000, 0, MessageLimits.DEFAULTS.maxClaimTtl()),
            millis(flags, "min-claim-grace-ms", 60_000, 0, MessageLimits.DEFAULTS.maxGrace())),
        millis(flags, "collect-interval-ms", 5_000, MIN_INTERVAL_MILLIS, Duration.ofDays(1)),
        millis(flags, "rollup-interval-ms", 60_000, MIN_INTERVAL_MILLIS, Duration.ofDays(1)),
        new Retention(
            Duration.ofHours(number(flags.getOrDefault("stats-minutes-hours", "48"), "stats-minutes-hours", 1, 24 * 365)),
            Duration.ofDays(number(flags.getOrDefault("stats-hours-days", "60"), "stats-hours-days", 1, 36_500)),
            Duration.ofDays(number(flags.getOrDefault("stats-days-days", "1095"), "stats-days-days", 1, 36_500))),
        number(flags.getOrDefault("stats-payload-max-bytes", "65536"), "stats-payload-max-bytes", 0, 4 * 1024 * 1024),
        number(flags.getOrDefault("broker-retention", "10000"), "broker-retention", 1, 100_000_000));
  }

  private static Duration millis(Map<String, String> flags, String name, int fallback, int min, Duration max) {
    return Duration.ofMillis(number(flags.getOrDefault(name, Integer.toString(fallback)), name, min,
        Math.toIntExact(max.toMillis())));
  }

  private static String host(String host) {
    if (host.isBlank()) {
      throw new IllegalArgumentException("--host (or KVDB_HOST) must name an address to listen on, got ''");
    }
    return host.trim();
  }

  private static URI redisUrl(String value) {
    try {
      URI url = new URI(value.trim());
      if (("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme())) && JedisURIHelper.isValid(url)) {
        return url;
      }
    } catch (URISyntaxException notAUri) {
      // Reported below with the expected form.
    }
    throw new IllegalArgumentException("--redis (or KVDB_REDIS_URL) must be redis://[user:password@]host:port[/db]"
        + " or rediss://..., got '" + value + "'");
  }

  private static Path executable(String value) {
    Path binary = Path.of(value);
    if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
      throw new IllegalArgumentException("--embedded-redis-binary must be an executable file, got '" + value + "'");
    }
    return binary;
  }

  /** The same settings on another port (0: any free one), for tests and embedding. */
  public GatewayConfig withPort(int newPort) {
    return new GatewayConfig(host, newPort, redisUrl, embeddedRedisBinary, redisPoolSize, redisTimeout,
        shutdownGrace, messageLimits, collectInterval, rollupInterval, statsRetention,
        statsPayloadMaxBytes, brokerRetention);
  }

  /** The same settings on the given Redis. */
  public GatewayConfig withRedis(URI url) {
    return new GatewayConfig(host, port, Optional.of(url), embeddedRedisBinary, redisPoolSize, redisTimeout,
        shutdownGrace, messageLimits, collectInterval, rollupInterval, statsRetention,
        statsPayloadMaxBytes, brokerRetention);
  }

  /** The same settings with other message limits. */
  public GatewayConfig withMessageLimits(MessageLimits limits) {
    return new GatewayConfig(host, port, redisUrl, embeddedRedisBinary, redisPoolSize, redisTimeout,
        shutdownGrace, limits, collectInterval, rollupInterval, statsRetention,
        statsPayloadMaxBytes, brokerRetention);
  }

  private static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument '" + arg + "'\n" + USAGE);
      }
      String name = arg.substring(2);
      int equals = name.indexOf('=');
      if (name.equals("help")) {
        flags.put("help", "");
      } else if (equals >= 0) {
        flags.put(name.substring(0, equals), name.substring(equals + 1));
      } else if (i + 1 < args.length) {
        flags.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value\n" + USAGE);
      }
    }
    if (flags.containsKey("help")) {
      throw new HelpRequested();
    }
    for (String name : flags.keySet()) {
      if (!USAGE.contains("--" + name + " ")) {
        throw new IllegalArgumentException("unknown flag --" + name + "\n" + USAGE);
      }
    }
    return flags;
  }

  private static int number(String value, String name, int min, int max) {
    try {
      int number = Integer.parseInt(value.trim());
      if (number >= min && number <= max) {
        return number;
      }
    } catch (NumberFormatException notANumber) {
      // Reported below with the bounds.
    }
    throw new IllegalArgumentException("--" + name + " must be a whole number from " + min + " to " + max
        + ", got '" + value + "'");
  }

  /** Thrown by {@link #parse} for {@code --help}: the caller prints {@link #USAGE} and exits 0. */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help requested", null, false, false);
    }
  }
}
