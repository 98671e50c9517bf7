package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.TlsOptions;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS handshakes between the SDK and gateways started with {@code --tls-cert}/{@code
 * --tls-key} and, for mutual TLS, {@code --tls-client-ca}, on certificates generated for the run:
 * only a client that trusts the gateway's CA, and under mTLS presents a certificate of the client
 * CA, gets an answer.
 */
class TlsTest {
  @TempDir static Path temp;

  private static TestCertificates certificates;
  private static Gateway tls;
  private static Gateway mutualTls;

  @BeforeAll
  static void start() {
    certificates = TestCertificates.create(temp);
    String cert = certificates.server().certificate().toString();
    String key = certificates.server().key().toString();
    tls = KvdbTarget.ownGateway("--tls-cert", cert, "--tls-key", key);
    mutualTls =
        KvdbTarget.ownGateway(
            "--tls-cert",
            cert,
            "--tls-key",
            key,
            "--tls-client-ca",
            certificates.caCertificate().toString());
  }

  @AfterAll
  static void stop() {
    for (Gateway gateway : new Gateway[] {tls, mutualTls}) {
      if (gateway != null) {
        gateway.close();
      }
    }
  }

  @Test
  void aClientTrustingTheCaIsServed() {
    assertServed(options(tls).setTls(trustingTheCa().build()).build());
  }

  @Test
  void aPlaintextClientIsRefused() {
    assertRefused(options(tls).build());
  }

  @Test
  void aClientTrustingAnotherCaFailsTheHandshake() {
    assertRefused(
        options(tls)
            .setTls(
                TlsOptions.newBuilder()
                    .setTrustedCertificates(certificates.otherCaCertificate())
                    .build())
            .build());
  }

  @Test
  void underMutualTlsAClientWithoutACertificateIsRefused() {
    assertRefused(options(mutualTls).setTls(trustingTheCa().build()).build());
  }

  @Test
  void underMutualTlsACertificateOfAnotherCaIsRefused() {
    TlsOptions stranger =
        trustingTheCa()
            .setClientCertificate(
                certificates.otherClient().certificate(), certificates.otherClient().key())
            .build();
    assertRefused(options(mutualTls).setTls(stranger).build());
  }

  @Test
  void underMutualTlsTheClientCaCertificateIsServed() {
    TlsOptions client =
        trustingTheCa()
            .setClientCertificate(certificates.client().certificate(), certificates.client().key())
            .build();
    assertServed(options(mutualTls).setTls(client).build());
  }

  private static TlsOptions.Builder trustingTheCa() {
    return TlsOptions.newBuilder().setTrustedCertificates(certificates.caCertificate());
  }

  /** The server certificate names 127.0.0.1, so the address needs no authority override. */
  private static KvdbClientOptions.Builder options(Gateway gateway) {
    return KvdbClientOptions.newBuilder()
        .setTarget("127.0.0.1:" + gateway.port())
        .setProject("tls-test")
        .setDeadline(Duration.ofSeconds(5));
  }

  private static void assertServed(KvdbClientOptions options) {
    try (KvdbClient client = KvdbClient.create(options)) {
      String queue = "q-" + UUID.randomUUID();
      client.queues().create(queue);
      assertEquals(queue, client.queues().get(queue).getName());
    }
  }

  private static void assertRefused(KvdbClientOptions options) {
    try (KvdbClient client = KvdbClient.create(options)) {
      var refused = assertThrows(KvdbException.class, () -> client.queues().get("absent"));
      assertEquals(Status.Code.UNAVAILABLE, refused.code(), refused.getMessage());
    }
  }
}
