package io.kvdb.conformance.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.auth.MethodRoles;
import io.kvdb.gateway.auth.Role;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.testing.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.UnifiedJedis;

/**
 * The token cases of the credential conformance, on a gateway with {@code --auth jwt} and an HMAC
 * secret: an expired token, one signed with another secret, and one of another project are refused
 * for every RPC (UNAUTHENTICATED, UNAUTHENTICATED, PERMISSION_DENIED), reading and changing
 * nothing; a current token with the RPC's role gets past, which shows the tokens are well formed
 * and only their flaw is refused. Tokens are signed here (HS256 is one HMAC), so the test needs no
 * JOSE library of its own.
 */
class TokenConformanceTest {
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final String CANARY = "canary-" + UUID.randomUUID().toString().substring(0, 8);

  @TempDir static Path temp;

  private static final byte[] secret = randomSecret();
  private static final String project = KvdbTarget.freshProject();
  private static final String otherProject = KvdbTarget.freshProject();

  /** The positive control's project: its calls change their canaries, which others must keep. */
  private static final String controlProject = KvdbTarget.freshProject();

  private static Gateway gateway;
  private static ManagedChannel channel;
  private static UnifiedJedis admin;

  @BeforeAll
  static void start() throws Exception {
    Path secretFile = Files.write(temp.resolve("jwt-secret"), secret);
    gateway =
        KvdbTarget.ownGateway(
            "--auth",
            "jwt",
            "--jwt-hmac-secret-file",
            secretFile.toString(),
            "--jwt-clock-skew-ms",
            "0",
            // The pool and flavor services too, so that every rpc is walked.
            "--admin-api");
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    admin = TestRedis.shared().admin();
    CredentialChecks.createCanaries(
        channel,
        CredentialChecks.headers(project, token(Role.ADMIN, project, hourFromNow(), secret)),
        CANARY);
    CredentialChecks.createCanaries(
        channel,
        CredentialChecks.headers(
            controlProject, token(Role.ADMIN, controlProject, hourFromNow(), secret)),
        CANARY);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (admin != null) {
      admin.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void anExpiredTokenIsUnauthenticatedForEveryRpc() {
    Instant expired = Instant.now().minusSeconds(60);
    assertRefusedWithoutEffect(
        method -> token(requiredRole(method), project, expired, secret),
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED");
  }

  @Test
  void aTokenSignedWithAnotherSecretIsUnauthenticatedForEveryRpc() {
    byte[] other = randomSecret();
    assertRefusedWithoutEffect(
        method -> token(requiredRole(method), project, hourFromNow(), other),
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED");
  }

  @Test
  void aTokenOfAnotherProjectIsDeniedForEveryRpc() {
    // Every project role, for the other project: admin calls fall short by role, the others by
    // project.
    assertRefusedWithoutEffect(
        method -> token(null, otherProject, hourFromNow(), secret),
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED");
  }

  @Test
  void aCurrentTokenWithTheRoleGetsPastTheCheck() {
    List<String> refused =
        CredentialChecks.refused(
            new RpcWalker(channel, DEADLINE),
            CANARY,
            method ->
                CredentialChecks.headers(
                    controlProject,
                    token(requiredRole(method), controlProject, hourFromNow(), secret)));

    assertEquals(List.of(), refused);
  }

  private static void assertRefusedWithoutEffect(
      Function<String, String> tokens, Status.Code code, String reason) {
    List<RedisDigest.Exclusion> exclusions =
        CredentialChecks.exclusions(Set.of(project, otherProject));
    RedisDigest before = RedisDigest.of(admin, exclusions);
    assertTrue(
        before.keys().containsKey(Keys.queue(new QueueRef(project, CANARY))), "no canary queue");

    List<String> wrong =
        CredentialChecks.notRefusedAs(
            new RpcWalker(channel, DEADLINE),
            CANARY,
            method -> CredentialChecks.headers(project, tokens.apply(method)),
            code,
            reason);

    assertEquals(List.of(), wrong, "expected " + code + " " + reason + " everywhere");
    assertEquals(List.of(), RedisDigest.of(admin, exclusions).changesSince(before));
  }

  private static Role requiredRole(String method) {
    return MethodRoles.required(method)
        .orElseThrow(() -> new AssertionError(method + " is not in MethodRoles"));
  }

  /**
   * An HS256 token for {@code tokenProject} with {@code role} (null: every project role; admin: no
   * projects claim, as administrators need none), expiring at {@code expiry}.
   */
  private static String token(Role role, String tokenProject, Instant expiry, byte[] key) {
    String roles =
        role == null
            ? "[\"manage\",\"produce\",\"consume\",\"read\"]"
            : "[\"" + role.label() + "\"]";
    String projects = role == Role.ADMIN ? "" : ",\"kvdb_projects\":[\"" + tokenProject + "\"]";
    long exp = expiry.getEpochSecond();
    String claims =
        "{\"sub\":\"conformance\",\"iat\":"
            + Math.min(exp - 60, Instant.now().getEpochSecond())
            + ",\"exp\":"
            + exp
            + ",\"kvdb_roles\":"
            + roles
            + projects
            + "}";
    String signed = base64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + base64(claims);
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key, "HmacSHA256"));
      return signed
          + "."
          + Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(hmac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Instant hourFromNow() {
    return Instant.now().plusSeconds(3600);
  }

  /** 64 hex characters: the file holds them, and the gateway's secret is those 64 bytes. */
  private static byte[] randomSecret() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
  }
}
