package io.kvdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void aSetterRefusesABadValueAtOnceNamingTheOption() {
    assertEquals(
        "threads must be at least 1, was 0",
        assertThrows(
                IllegalArgumentException.class, () -> ConsumerOptions.newBuilder().setThreads(0))
            .getMessage());
    assertEquals(
        "limit must be from 1 to 1000, was 1001",
        assertThrows(IllegalArgumentException.class, () -> ClaimOptions.newBuilder().setLimit(1001))
            .getMessage());
    assertEquals(
        "maxWait must be from PT0S to PT5M, was PT6M",
        assertThrows(
                IllegalArgumentException.class,
                () -> LockOptions.newBuilder().setMaxWait(Duration.ofMinutes(6)))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> SubscriberOptions.newBuilder().setMaxDeliveries(0));
    assertThrows(IllegalArgumentException.class, () -> PageOptions.newBuilder().setPageSize(1001));
    assertThrows(
        IllegalArgumentException.class,
        () -> KvdbClientOptions.newBuilder().setDeadline(Duration.ZERO));
    assertEquals(
        "idempotencyKey must be 1 to 128 characters of A-Z a-z 0-9 _ . : -, was \"a/b\"",
        assertThrows(
                IllegalArgumentException.class,
                () -> PostOptions.newBuilder().setIdempotencyKey("a/b"))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> PostOptions.newBuilder().setIdempotencyKey("k".repeat(129)));
  }

  @Test
  void publisherOptionsRefuseBadLimitsNamingThemAndKeepTheirDefaults() {
    assertEquals(
        "maxBatchMessages must be from 1 to 1000, was 1001",
        assertThrows(
                IllegalArgumentException.class,
                () -> PublisherOptions.newBuilder().setMaxBatchMessages(1001))
            .getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> PublisherOptions.newBuilder().setMaxBatchDelay(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class,
        () -> PublisherOptions.newBuilder().setMaxBatchesInFlight(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> PublisherOptions.newBuilder().setMaxOutstandingMessages(0));
    assertEquals(
        "maxOutstandingBytes must be at least maxBatchBytes 262144, was 1000",
        assertThrows(
                IllegalArgumentException.class,
                () -> PublisherOptions.newBuilder().setMaxOutstandingBytes(1000).build())
            .getMessage());

    PublisherOptions defaults = PublisherOptions.DEFAULTS;
    assertEquals(100, defaults.maxBatchMessages());
    assertEquals(256 * 1024, defaults.maxBatchBytes());
    assertEquals(Duration.ofMillis(1), defaults.maxBatchDelay());
    assertEquals(4, defaults.maxBatchesInFlight());
    assertEquals(10_000, defaults.maxOutstandingMessages());
    assertEquals(64L << 20, defaults.maxOutstandingBytes());
    assertEquals(7, defaults.toBuilder().setMaxBatchMessages(7).build().maxBatchMessages());
  }

  @Test
  void defaultsAreTodaysAndToBuilderKeepsEveryValue() {
    ConsumerOptions defaults = ConsumerOptions.DEFAULTS;
    assertEquals(1, defaults.threads());
    assertEquals(10, defaults.batch());
    assertEquals(20, defaults.window(), "2 x threads x batch");
    assertEquals(Duration.ofSeconds(60), defaults.ttl());

    ConsumerOptions changed = defaults.toBuilder().setThreads(4).setWindow(7).build();
    ConsumerOptions copy = changed.toBuilder().build();
    assertEquals(4, copy.threads());
    assertEquals(7, copy.window());
    assertEquals(1, defaults.threads(), "options are immutable");

    SubscriberOptions group = SubscriberOptions.newBuilder().setGroup("servers").build();
    assertEquals(100, group.maxUnacked());
    assertEquals(Duration.ofSeconds(30), group.ackTimeout());
    assertEquals(5, group.maxDeliveries());
    assertEquals(Duration.ofSeconds(30), LockOptions.DEFAULTS.maxWait());
    assertEquals(
        "order:42",
        PostOptions.newBuilder().setIdempotencyKey("order:42").build().toBuilder()
            .build()
            .idempotencyKey()
            .orElseThrow());
    KvdbClientOptions client = KvdbClientOptions.newBuilder().setTarget("localhost:1").build();
    assertTrue(client.postIdempotencyKeys());
    assertFalse(client.toBuilder().setPostIdempotencyKeys(false).build().postIdempotencyKeys());
  }

  @Test
  void aClaimsGraceIsItsTtlUnlessSet() {
    ClaimOptions options = ClaimOptions.newBuilder().setTtl(Duration.ofSeconds(30)).build();
    assertEquals(Duration.ofSeconds(30), options.grace().orElseThrow());
    assertEquals(
        Duration.ZERO, options.toBuilder().setGrace(Duration.ZERO).build().grace().orElseThrow());
  }

  @Test
  void tlsOptionsTurnTlsOnAndPlaintextDropsThem() {
    TlsOptions tls =
        TlsOptions.newBuilder()
            .setTrustedCertificates("-----BEGIN CERTIFICATE-----".getBytes())
            .build();
    KvdbClientOptions secure = KvdbClientOptions.newBuilder().setTarget("h:1").setTls(tls).build();
    assertTrue(secure.useTls());
    assertEquals(Optional.of(tls), secure.tls());
    KvdbClientOptions plain = secure.toBuilder().setUseTls(false).build();
    assertFalse(plain.useTls());
    assertEquals(Optional.empty(), plain.tls());
    assertThrows(
        java.io.UncheckedIOException.class,
        () -> TlsOptions.newBuilder().setTrustedCertificates(Path.of("/no/such/ca.pem")));
  }
}
