package io.kvdb.conformance.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Status;
import io.kvdb.client.BearerToken;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.TokenSupplier;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.proto.v1.ErrorReason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SDK client with a {@link TokenSupplier} on a gateway with {@code --auth jwt} and an HMAC
 * secret: the supplier's token is fetched once and sent with every call while it is current, and
 * the token's projects bound the client as a key's would.
 */
class SdkTokenSupplierConformanceTest {
  /** 64 hex characters: random bytes could end in a newline, which the gateway strips. */
  private static final byte[] SECRET = randomHexSecret();

  @TempDir static Path temp;

  private static Gateway gateway;

  private final String project = KvdbTarget.freshProject();

  @BeforeAll
  static void start() throws Exception {
    Path secretFile = Files.write(temp.resolve("jwt-secret"), SECRET);
    gateway =
        KvdbTarget.ownGateway("--auth", "jwt", "--jwt-hmac-secret-file", secretFile.toString());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void theSupplierIsCalledOnceForManyCalls() {
    AtomicInteger fetched = new AtomicInteger();
    TokenSupplier supplier =
        () -> {
          fetched.incrementAndGet();
          Instant expiry = Instant.now().plus(Duration.ofHours(1));
          return new BearerToken(
              token(project, List.of("manage", "produce", "read"), expiry), expiry);
        };

    try (KvdbClient client = client(project, supplier)) {
      client.queues().create("orders");
      for (int call = 0; call < 20; call++) {
        client.messages().post("orders", "m" + call);
      }
      assertEquals(20, client.queues().stats("orders").getTotal());
    }

    assertEquals(1, fetched.get());
  }

  @Test
  void aTokenOfAnotherProjectIsDenied() {
    Instant expiry = Instant.now().plus(Duration.ofHours(1));
    String other = token(KvdbTarget.freshProject(), List.of("read"), expiry);

    try (KvdbClient client = client(project, () -> new BearerToken(other, expiry))) {
      KvdbException error = assertThrows(KvdbException.class, () -> client.queues().get("orders"));
      assertEquals(Status.Code.PERMISSION_DENIED, error.code());
      assertEquals(ErrorReason.PERMISSION_DENIED, error.reason());
    }
  }

  private static KvdbClient client(String project, TokenSupplier supplier) {
    return KvdbClient.create(
        KvdbClientOptions.newBuilder()
            .setTarget("127.0.0.1:" + gateway.port())
            .setProject(project)
            .setTokenSupplier(supplier)
            .build());
  }

  /** An HS256 token for {@code project} with {@code roles}, as an identity provider would sign. */
  private static String token(String project, List<String> roles, Instant expiry) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject("sdk-conformance")
            .issueTime(Date.from(Instant.now().minusSeconds(1)))
            .expirationTime(Date.from(expiry))
            .claim("kvdb_roles", roles)
            .claim("kvdb_projects", List.of(project))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(SECRET));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static byte[] randomHexSecret() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
  }
}
