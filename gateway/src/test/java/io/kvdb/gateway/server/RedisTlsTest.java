package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.TestCertificates;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A gateway on a TLS-only Redis ({@code rediss://}): it serves when it trusts Redis's CA, and
 * refuses to start, saying why, when it trusts another CA, speaks plaintext to the TLS port, or
 * lacks the client certificate a Redis with {@code tls-auth-clients yes} asks for.
 */
class RedisTlsTest {
  private static final Path DEBIAN_REDIS = Path.of("/usr/bin/redis-server");

  @TempDir static Path temp;

  private static TestCertificates certificates;
  private static TlsRedis redis;
  private static int tlsPort;

  /** A Redis process and the one port it serves, over TLS. */
  private record TlsRedis(RedisServerProcess process, int tlsPort) implements AutoCloseable {
    @Override
    public void close() {
      process.close();
    }
  }

  @BeforeAll
  static void startTlsOnlyRedis() throws IOException {
    certificates = TestCertificates.create(temp);
    redis = startTls("no");
    tlsPort = redis.tlsPort();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aGatewayThatTrustsRedissCaServesCalls() {
    try (Gateway gateway =
        Gateway.start(
            config(
                "--redis",
                "rediss://localhost:" + tlsPort,
                "--redis-tls-ca",
                certificates.caCertificate().toString()))) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
      try {
        var queues =
            QueueServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        queues.createQueue(CreateQueueRequest.newBuilder().setName("over-tls").build());

        assertEquals(
            "over-tls",
            queues.getQueue(GetQueueRequest.newBuilder().setName("over-tls").build()).getName());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aGatewayThatTrustsAnotherCaDoesNotStart() {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                Gateway.start(
                        config(
                            "--redis",
                            "rediss://localhost:" + tlsPort,
                            "--redis-tls-ca",
                            certificates.otherCaCertificate().toString()))
                    .close());

    assertTrue(
        refused.getMessage().contains("rediss://localhost:" + tlsPort), refused.getMessage());
    assertTrue(refused.getMessage().contains("PKIX path building failed"), refused.getMessage());
    assertTrue(refused.getMessage().contains("the TLS handshake failed"), refused.getMessage());
    assertTrue(refused.getMessage().contains("--redis-tls-ca"), refused.getMessage());
  }

  @Test
  void aHostNameTheCertificateDoesNotNameIsRefused() {
    // Redis listens on 127.0.0.2 too, which its certificate (localhost, 127.0.0.1) does not name.
    String other = "127.0.0.2";

    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                Gateway.start(
                        config(
                            "--redis",
                            "rediss://" + other + ":" + tlsPort,
                            "--redis-tls-ca",
                            certificates.caCertificate().toString(),
                            "--redis-timeout-ms",
                            "1000"))
                    .close());

    assertTrue(refused.getMessage().contains("the TLS handshake failed"), refused.getMessage());
    assertTrue(
        refused.getMessage().contains("No subject alternative names matching IP address " + other),
        refused.getMessage());
  }

  @Test
  void plaintextToTheTlsPortDoesNotStart() {
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                Gateway.start(
                        config(
                            "--redis",
                            "redis://localhost:" + tlsPort,
                            "--redis-timeout-ms",
                            "1000"))
                    .close());

    assertTrue(
        refused.getMessage().startsWith("cannot reach Redis at redis://localhost:" + tlsPort),
        refused.getMessage());
    assertTrue(
        refused.getMessage().endsWith("(if that is a TLS port, the URL is rediss://)"),
        refused.getMessage());
  }

  @Test
  void aRedisThatWantsClientCertificatesGetsOne() throws IOException {
    try (TlsRedis strict = startTls("yes")) {
      String url = "rediss://localhost:" + strict.tlsPort();
      String ca = certificates.caCertificate().toString();

      IllegalStateException refused =
          assertThrows(
              IllegalStateException.class,
              () ->
                  Gateway.start(
                          config(
                              "--redis", url, "--redis-tls-ca", ca, "--redis-timeout-ms", "1000"))
                      .close());
      assertTrue(
          refused.getMessage().endsWith("drops a client without --redis-tls-cert)"),
          refused.getMessage());

      try (Gateway gateway =
          Gateway.start(
              config(
                  "--redis",
                  url,
                  "--redis-tls-ca",
                  ca,
                  "--redis-tls-cert",
                  certificates.client().certificate().toString(),
                  "--redis-tls-key",
                  certificates.client().key().toString()))) {
        assertTrue(gateway.port() > 0);
      }
    }
  }

  @Test
  void tlsFilesNeedARedissUrl() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GatewayConfig.parse(
                    "--redis",
                    "redis://localhost:6379",
                    "--redis-tls-ca",
                    certificates.caCertificate().toString()));
    assertEquals(
        "--redis-tls-ca needs a --redis URL of scheme rediss or rediss-sentinel",
        refused.getMessage());

    refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GatewayConfig.parse(
                    "--redis",
                    "rediss://localhost:6379",
                    "--redis-tls-cert",
                    certificates.client().certificate().toString()));
    assertEquals("--redis-tls-cert needs --redis-tls-key", refused.getMessage());
  }

  private static GatewayConfig config(String... flags) {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--shutdown-grace-seconds", "0"));
    args.addAll(List.of(flags));
    return GatewayConfig.parse(args.toArray(String[]::new));
  }

  /**
   * A Redis serving TLS alone on a port of its own: started with its usual plaintext port as well,
   * which is how {@link RedisServerProcess} knows it is up, then closed ({@code CONFIG SET port
   * 0}). Skips the test where the binary has no TLS.
   */
  private static TlsRedis startTls(String authClients) throws IOException {
    int port = freePort();
    RedisServerProcess server;
    try {
      server =
          RedisServerProcess.start(
              binary(),
              "TLS " + binary(),
              RedisServerProcess.ExtraArguments.options(
                  "--tls-port",
                  Integer.toString(port),
                  "--tls-cert-file",
                  certificates.server().certificate().toString(),
                  "--tls-key-file",
                  certificates.server().key().toString(),
                  "--tls-ca-cert-file",
                  certificates.caCertificate().toString(),
                  "--tls-auth-clients",
                  authClients,
                  "--bind",
                  "127.0.0.1",
                  "127.0.0.2"));
    } catch (UncheckedIOException failed) {
      // A build without TLS knows no tls-port; any other failure (a bad file, say) is a failure.
      String why = String.valueOf(failed.getCause());
      Assumptions.assumeFalse(
          why.contains("Bad directive") && why.contains("tls-port"),
          "this redis-server has no TLS: " + why);
      throw failed;
    }
    try (Jedis admin = new Jedis(server.uri())) {
      admin.configSet("port", "0");
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return new TlsRedis(server, port);
  }

  /**
   * Debian's redis-server 7 (built with TLS) where there is one; else the embedded one (the Redis
   * 6.2 shipped for this platform, which has TLS on linux-amd64, or the PATH's); the tests skip on
   * a binary without TLS.
   */
  private static Path binary() {
    return Files.isExecutable(DEBIAN_REDIS) ? DEBIAN_REDIS : RedisServerProcess.embeddedBinary();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
