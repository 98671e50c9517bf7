package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.gateway.auth.AuthSettings;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.stats.Retention;
import io.kvdb.lua.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GatewayConfigTest {
  private static final String BOOTSTRAP_KEY = "a-bootstrap-key-of-32-characters";

  @TempDir Path temp;

  @Test
  void defaultsServeLocallyOnAnEmbeddedRedis() {
    GatewayConfig config = GatewayConfig.parse();
    assertEquals("127.0.0.1", config.host());
    assertEquals(50051, config.port());
    assertEquals(Optional.empty(), config.redisUrl());
    assertEquals(Optional.empty(), config.embeddedRedisBinary());
    assertEquals(64, config.redisPoolSize());
    assertEquals(Duration.ofSeconds(2), config.redisTimeout());
    assertEquals(Duration.ofSeconds(1), config.healthInterval());
    assertEquals(Duration.ofSeconds(20), config.shutdownGrace());
    assertEquals(MessageLimits.DEFAULTS, config.messageLimits());
    assertEquals(Duration.ofSeconds(5), config.collectInterval());
    assertEquals(Duration.ofMinutes(1), config.rollupInterval());
    assertEquals(Retention.DEFAULTS, config.statsRetention());
    assertEquals(65536, config.statsPayloadMaxBytes());
    assertEquals(10_000, config.brokerRetention());
    assertEquals(Optional.empty(), config.tls(), "plaintext");
    assertEquals(AuthSettings.OPEN, config.auth(), "open, on loopback");
  }

  @Test
  void theBootstrapKeyComesFromItsVariableAndIsNeverShown() {
    GatewayConfig config =
        GatewayConfig.parse(Map.of("KVDB_BOOTSTRAP_ADMIN_KEY", BOOTSTRAP_KEY), "--auth", "keys");
    assertEquals(Optional.of(BOOTSTRAP_KEY), config.auth().bootstrapAdminKey());
    assertTrue(!config.toString().contains(BOOTSTRAP_KEY), config.toString());
  }

  @Test
  void aShortBootstrapKeyIsRefusedWithoutShowingIt() {
    var refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> GatewayConfig.parse(Map.of("KVDB_BOOTSTRAP_ADMIN_KEY", "too-short-secret")));
    assertTrue(refused.getMessage().contains("KVDB_BOOTSTRAP_ADMIN_KEY"), refused.getMessage());
    assertTrue(!refused.getMessage().contains("too-short-secret"), refused.getMessage());
  }

  @Test
  void everyFlagReachesItsSetting() throws IOException {
    Path binary = executable("redis-server");
    TestCertificates certificates = TestCertificates.create(temp);
    Path bootstrapKeyFile = Files.writeString(temp.resolve("bootstrap"), BOOTSTRAP_KEY + "\n");
    GatewayConfig config =
        parse(
            "--host",
            " 0.0.0.0 ",
            "--port",
            "7000",
            "--tls-cert",
            certificates.server().certificate().toString(),
            "--tls-key",
            certificates.server().key().toString(),
            "--tls-client-ca",
            certificates.caCertificate().toString(),
            "--auth",
            "keys",
            "--insecure",
            "--auth-cache-ms",
            "0",
            "--bootstrap-admin-key-file",
            bootstrapKeyFile.toString(),
            "--redis",
            "redis://h:6380/1",
            "--embedded-redis-binary",
            binary.toString(),
            "--redis-pool-size",
            "8",
            "--redis-timeout-ms",
            "300",
            "--health-interval-ms",
            "40",
            "--durability",
            "replicated",
            "--replica-wait-ms",
            "70",
            "--shutdown-grace-seconds",
            "0",
            "--min-message-ttl-ms",
            "200",
            "--min-claim-ttl-ms",
            "300",
            "--min-claim-grace-ms",
            "0",
            "--idempotency-window-ms",
            "600",
            "--collect-interval-ms",
            "50",
            "--rollup-interval-ms",
            "100",
            "--stats-minutes-hours",
            "2",
            "--stats-hours-days",
            "3",
            "--stats-days-days",
            "4",
            "--stats-payload-max-bytes",
            "10",
            "--broker-retention",
            "5",
            "--quota-refresh-ms",
            "20",
            "--catalogue-cache-ms",
            "30",
            "--admin-api");
    assertEquals(
        new GatewayConfig(
            "0.0.0.0",
            7000,
            Optional.of(URI.create("redis://h:6380/1")),
            Optional.of(binary),
            8,
            Duration.ofMillis(300),
            Duration.ofMillis(40),
            Duration.ofMillis(30),
            new Durability(true, Duration.ofMillis(70)),
            Duration.ZERO,
            MessageLimits.DEFAULTS
                .withMinimums(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ZERO)
                .withIdempotencyWindow(Duration.ofMillis(600)),
            Duration.ofMillis(50),
            Duration.ofMillis(20),
            Duration.ofMillis(100),
            new Retention(Duration.ofHours(2), Duration.ofDays(3), Duration.ofDays(4)),
            10,
            5,
            Optional.of(
                new ServerTls(
                    certificates.server().certificate(),
                    certificates.server().key(),
                    Optional.of(certificates.caCertificate()))),
            new AuthSettings(
                AuthSettings.Mode.KEYS,
                true,
                Duration.ZERO,
                Optional.of(BOOTSTRAP_KEY),
                Optional.empty()),
            Optional.empty(),
            true,
            Duration.ofMillis(100)),
        config);
  }

  @Test
  void theEnvironmentWinsOverDefaults() {
    GatewayConfig config =
        GatewayConfig.parse(
            Map.of(
                "KVDB_PORT",
                "7000",
                "KVDB_HOST",
                "0.0.0.0",
                "KVDB_REDIS_URL",
                "redis://env:1",
                "KVDB_COLLECT_INTERVAL_MS",
                "50"));
    assertEquals(7000, config.port());
    assertEquals("0.0.0.0", config.host());
    assertEquals(Optional.of(URI.create("redis://env:1")), config.redisUrl());
    assertEquals(Duration.ofMillis(50), config.collectInterval());
    assertEquals(
        Optional.empty(),
        GatewayConfig.parse(Map.of("KVDB_REDIS_URL", " ")).redisUrl(),
        "blank: embedded");
  }

  @Test
  void flagsWinOverTheEnvironment() {
    Map<String, String> env = Map.of("KVDB_REDIS_URL", "redis://env:1", "KVDB_PORT", "7000");
    GatewayConfig config =
        GatewayConfig.parse(env, "--redis", "rediss://user:pw@flag:6380/2", "--host=0.0.0.0");
    assertEquals(Optional.of(URI.create("rediss://user:pw@flag:6380/2")), config.redisUrl());
    assertEquals(7000, config.port());
    assertEquals("0.0.0.0", config.host());
    assertEquals(
        1,
        GatewayConfig.parse(Map.of("KVDB_PORT", "not a port"), "--port", "1").port(),
        "a flag given leaves its variable unread");
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() {
    var invalid =
        assertThrows(
            IllegalArgumentException.class,
            () -> GatewayConfig.parse(Map.of("KVDB_PORT", "70000")));
    assertTrue(
        invalid.getMessage().contains("--port") && invalid.getMessage().contains("KVDB_PORT"),
        invalid.getMessage());
  }

  @Test
  void badFlagsAreExplained() {
    var unknown = assertThrows(IllegalArgumentException.class, () -> parse("--prot", "1"));
    assertTrue(unknown.getMessage().startsWith("unknown flag --prot"), unknown.getMessage());
    var range = assertThrows(IllegalArgumentException.class, () -> parse("--port", "70000"));
    assertTrue(range.getMessage().contains("from 0 to 65535"), range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("--port"));
    assertThrows(IllegalArgumentException.class, () -> parse("--port", "abc"));
    assertThrows(IllegalArgumentException.class, () -> parse("stray"));
    var mode = assertThrows(IllegalArgumentException.class, () -> parse("--durability", "disk"));
    assertTrue(mode.getMessage().contains("--durability"), mode.getMessage());
    var url =
        assertThrows(IllegalArgumentException.class, () -> parse("--redis", "redis://a:1,b:x"));
    assertTrue(url.getMessage().contains("'x' is not a port"), url.getMessage());
    assertThrows(GatewayConfig.HelpRequested.class, () -> parse("--help"));
  }

  @Test
  void theHelpListsEveryFlagWithItsVariableDefaultAndBounds() {
    String usage = GatewayConfig.usage();
    assertTrue(usage.startsWith("Usage: java -jar kvdb-gateway.jar [flags]"), usage);
    for (String flag : bounds().map(row -> (String) row.get()[0]).toList()) {
      assertTrue(usage.contains(flag + "="), flag + " in\n" + usage);
    }
    assertTrue(usage.contains("(env KVDB_PORT, default 50051, 0 to 65535)"), usage);
    assertTrue(usage.contains("(env KVDB_REDIS_URL)"), usage);
    assertTrue(usage.contains("--help"), usage);
  }

  @Test
  void theReadmeShowsTheCurrentHelp() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    assertTrue(
        readme.contains("```text\n" + GatewayConfig.usage() + "```\n"),
        "paste the output of java -jar kvdb-gateway.jar --help into README.md's Configuration section");
  }

  static Stream<Arguments> bounds() {
    return Stream.of(
        Arguments.of("--port", 0, 65_535),
        Arguments.of("--redis-pool-size", 1, 10_000),
        Arguments.of("--redis-timeout-ms", 1, 600_000),
        Arguments.of("--health-interval-ms", 10, 60_000),
        Arguments.of("--replica-wait-ms", 1, 60_000),
        Arguments.of("--shutdown-grace-seconds", 0, 3600),
        Arguments.of("--min-message-ttl-ms", 0, MessageLimits.DEFAULTS.defaultTtl().toMillis()),
        Arguments.of("--min-claim-ttl-ms", 0, MessageLimits.DEFAULTS.maxClaimTtl().toMillis()),
        Arguments.of("--min-claim-grace-ms", 0, MessageLimits.DEFAULTS.maxGrace().toMillis()),
        Arguments.of("--idempotency-window-ms", 1, Duration.ofDays(1).toMillis()),
        Arguments.of("--collect-interval-ms", 10, Duration.ofDays(1).toMillis()),
        Arguments.of("--rollup-interval-ms", 10, Duration.ofDays(1).toMillis()),
        Arguments.of("--stats-minutes-hours", 1, 24 * 365),
        Arguments.of("--stats-hours-days", 1, 36_500),
        Arguments.of("--stats-days-days", 1, 36_500),
        Arguments.of("--stats-payload-max-bytes", 0, 4 * 1024 * 1024),
        Arguments.of("--broker-retention", 1, 100_000_000),
        Arguments.of("--auth-cache-ms", 0, 60_000));
  }

  @ParameterizedTest(name = "{0} from {1} to {2}")
  @MethodSource("bounds")
  void everyNumberIsBounded(String flag, long min, long max) {
    assertDoesNotThrow(() -> parse(flag, Long.toString(min)));
    assertDoesNotThrow(() -> parse(flag, Long.toString(max)));
    for (long outside : new long[] {min - 1, max + 1}) {
      var invalid =
          assertThrows(IllegalArgumentException.class, () -> parse(flag, Long.toString(outside)));
      assertTrue(
          invalid.getMessage().contains(flag)
              && invalid.getMessage().contains("from " + min + " to " + max),
          invalid.getMessage());
    }
  }

  @Test
  void theRedisUrlIsRedisOrRediss() {
    assertEquals(
        Optional.of(URI.create("redis://h:1")), parse("--redis", "redis://h:1").redisUrl());
    assertEquals(
        Optional.of(URI.create("rediss://h:1")), parse("--redis", "rediss://h:1").redisUrl());
    for (String invalid : new String[] {"http://localhost:6379", "localhost:6379", "redis://"}) {
      var refused = assertThrows(IllegalArgumentException.class, () -> parse("--redis", invalid));
      assertTrue(refused.getMessage().contains("--redis"), refused.getMessage());
    }
  }

  @Test
  void theEmbeddedBinaryIsAnExecutableFile() throws IOException {
    Path plain = Files.createFile(temp.resolve("plain"));
    for (Path refused : new Path[] {plain, temp, temp.resolve("missing")}) {
      var invalid =
          assertThrows(
              IllegalArgumentException.class,
              () -> parse("--embedded-redis-binary", refused.toString()));
      assertTrue(invalid.getMessage().contains("--embedded-redis-binary"), invalid.getMessage());
    }
  }

  @Test
  void tlsNeedsACertificateAndItsKeyAndAClientCaOnlyWithThem() {
    TestCertificates certificates = TestCertificates.create(temp);
    String cert = certificates.server().certificate().toString();
    String key = certificates.server().key().toString();
    String ca = certificates.caCertificate().toString();
    assertEquals("TLS", parse("--tls-cert", cert, "--tls-key", key).tls().orElseThrow().mode());
    assertEquals(
        "mTLS",
        parse("--tls-cert", cert, "--tls-key", key, "--tls-client-ca", ca)
            .tls()
            .orElseThrow()
            .mode());
    assertEquals(
        Optional.of(new ServerTls(Path.of(cert), Path.of(key), Optional.empty())),
        GatewayConfig.parse(Map.of("KVDB_TLS_CERT", cert, "KVDB_TLS_KEY", key)).tls());
    Map<String[], String> refusals =
        Map.of(
            new String[] {"--tls-cert", cert}, "--tls-cert needs --tls-key",
            new String[] {"--tls-key", key}, "--tls-key needs --tls-cert",
            new String[] {"--tls-client-ca", ca}, "--tls-client-ca needs --tls-cert");
    refusals.forEach(
        (args, message) -> {
          var refused = assertThrows(IllegalArgumentException.class, () -> parse(args));
          assertTrue(refused.getMessage().startsWith(message), refused.getMessage());
        });
  }

  @Test
  void tlsFilesMustBeReadablePem() throws IOException {
    TestCertificates certificates = TestCertificates.create(temp);
    Path text = Files.writeString(temp.resolve("not.pem"), "not a certificate\n");
    String cert = certificates.server().certificate().toString();
    String key = certificates.server().key().toString();
    Map<String, String[]> refusals =
        Map.of(
            "--tls-cert", new String[] {"--tls-cert", text.toString(), "--tls-key", key},
            "--tls-key", new String[] {"--tls-cert", cert, "--tls-key", cert},
            "--tls-client-ca",
                new String[] {
                  "--tls-cert", cert, "--tls-key", key, "--tls-client-ca", temp.toString()
                });
    refusals.forEach(
        (flag, args) -> {
          var refused = assertThrows(IllegalArgumentException.class, () -> parse(args));
          assertTrue(refused.getMessage().contains(flag), refused.getMessage());
        });
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> parse("--tls-cert", temp.resolve("missing.pem").toString(), "--tls-key", key));
    assertTrue(missing.getMessage().contains("is not a readable file"), missing.getMessage());
  }

  @Test
  void theHostIsNotBlank() {
    var invalid = assertThrows(IllegalArgumentException.class, () -> parse("--host", " "));
    assertTrue(invalid.getMessage().contains("--host"), invalid.getMessage());
  }

  private Path executable(String name) throws IOException {
    return Files.createFile(
        temp.resolve(name),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static GatewayConfig parse(String... args) {
    return GatewayConfig.parse(args);
  }
}
