package io.kvdb.conformance.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.auth.MethodRoles;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.Keys;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.CreateKeyRequest;
import io.kvdb.proto.v1.CreatedKey;
import io.kvdb.proto.v1.KeyServiceGrpc;
import io.kvdb.proto.v1.RevokeKeyRequest;
import io.kvdb.proto.v1.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every RPC of every service ({@link RpcWalker}), called on a gateway with {@code --auth keys}
 * about canary resources that exist, with each kind of bad credential: none, one never issued, a
 * revoked key, an expired key, a key of another project, a key without the role the RPC needs. Each
 * is refused with UNAUTHENTICATED (missing or bad credential) or PERMISSION_DENIED (other project,
 * role too small) and its ErrorInfo reason, neither naming the canary nor answering otherwise than
 * for a resource that does not exist, sends no message, and changes nothing in Redis ({@link
 * RedisDigest}). The right key's calls get past the check, which shows the walker's calls reach it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthenticationConformanceTest {
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final String BOOTSTRAP = "bootstrap-" + UUID.randomUUID();
  private static final String CANARY = "canary-" + UUID.randomUUID().toString().substring(0, 8);

  /** The roles a project key can hold: all but admin. */
  private static final List<Role> PROJECT_ROLES =
      List.of(Role.ROLE_MANAGE, Role.ROLE_PRODUCE, Role.ROLE_CONSUME, Role.ROLE_READ);

  @TempDir static Path temp;

  private static Gateway gateway;
  private static ManagedChannel channel;
  private static UnifiedJedis admin;
  private static final String project = KvdbTarget.freshProject();
  private static final String otherProject = KvdbTarget.freshProject();

  private static String revokedKey;
  private static String expiredKey;
  private static String otherProjectKey;

  /** For each role, a key of the project with every project role but that one. */
  private static final Map<io.kvdb.gateway.auth.Role, String> keysWithout =
      new EnumMap<>(io.kvdb.gateway.auth.Role.class);

  /** For each role, a key of the project with that role alone (admin: the bootstrap key). */
  private static final Map<io.kvdb.gateway.auth.Role, String> keysWith =
      new EnumMap<>(io.kvdb.gateway.auth.Role.class);

  @BeforeAll
  static void start() throws Exception {
    Path bootstrapFile = Files.writeString(temp.resolve("bootstrap-key"), BOOTSTRAP + "\n");
    gateway =
        KvdbTarget.ownGateway(
            "--auth",
            "keys",
            // Every lookup goes to Redis: a revoked or expired key must fail at once.
            "--auth-cache-ms",
            "0",
            "--bootstrap-admin-key-file",
            bootstrapFile.toString(),
            // The pool and flavor services too, so that every rpc is walked.
            "--admin-api");
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    admin = TestRedis.shared().admin();

    CreatedKey revoked = createKey(project, PROJECT_ROLES, null);
    asAdmin(KeyServiceGrpc.newBlockingStub(channel))
        .revokeKey(RevokeKeyRequest.newBuilder().setId(revoked.getKey().getId()).build());
    revokedKey = revoked.getSecret();
    Instant expiry = Instant.now().plusMillis(500);
    expiredKey = createKey(project, PROJECT_ROLES, expiry).getSecret();
    otherProjectKey = createKey(otherProject, PROJECT_ROLES, null).getSecret();
    keysWith.put(io.kvdb.gateway.auth.Role.ADMIN, BOOTSTRAP);
    for (Role role : PROJECT_ROLES) {
      keysWith.put(gatewayRole(role), createKey(project, List.of(role), null).getSecret());
      keysWithout.put(
          gatewayRole(role),
          createKey(project, PROJECT_ROLES.stream().filter(other -> other != role).toList(), null)
              .getSecret());
    }
    // Every project role falls short of admin.
    keysWithout.put(
        io.kvdb.gateway.auth.Role.ADMIN, createKey(project, PROJECT_ROLES, null).getSecret());
    CredentialChecks.createCanaries(channel, headers(BOOTSTRAP), CANARY);
    Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis() + 100));
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

  /** A bad credential: its name, the key it sends for a method (none: null), and the answer. */
  record Case(String name, Function<String, String> keyFor, Status.Code code, String reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> badCredentials() {
    return Stream.of(
            new Case(
                "no credential", method -> null, Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED"),
            new Case(
                "a key never issued",
                method -> "kvdb_" + "A".repeat(43),
                Status.Code.UNAUTHENTICATED,
                "UNAUTHENTICATED"),
            new Case(
                "a revoked key",
                method -> revokedKey,
                Status.Code.UNAUTHENTICATED,
                "UNAUTHENTICATED"),
            new Case(
                "an expired key",
                method -> expiredKey,
                Status.Code.UNAUTHENTICATED,
                "UNAUTHENTICATED"),
            new Case(
                "a key of another project",
                method -> otherProjectKey,
                Status.Code.PERMISSION_DENIED,
                "PERMISSION_DENIED"),
            new Case(
                "a key without the role the RPC needs",
                method -> keysWithout.get(requiredRole(method)),
                Status.Code.PERMISSION_DENIED,
                "PERMISSION_DENIED"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badCredentials")
  @Order(1)
  void everyRpcRefusesWithoutReadingOrChangingAnything(Case bad) {
    RpcWalker walker = new RpcWalker(channel, DEADLINE);
    List<RedisDigest.Exclusion> exclusions = exclusions();
    RedisDigest before = RedisDigest.of(admin, exclusions);
    // The exclusions leave in what the calls could touch: the canaries and the API keys.
    assertTrue(
        before.keys().containsKey(Keys.queue(new QueueRef(project, CANARY))), "no canary queue");
    assertTrue(before.keys().containsKey(Keys.API_KEY_IDS), "no API keys");

    List<String> wrong =
        CredentialChecks.notRefusedAs(
            walker,
            CANARY,
            method -> headers(bad.keyFor().apply(method)),
            bad.code(),
            bad.reason());

    assertEquals(List.of(), wrong, "expected " + bad.code() + " " + bad.reason() + " everywhere");
    assertEquals(List.of(), RedisDigest.of(admin, exclusions).changesSince(before));
  }

  @Test
  @Order(2)
  void theRightKeyGetsPastTheCheck() {
    RpcWalker walker = new RpcWalker(channel, DEADLINE);
    List<String> refused =
        CredentialChecks.refused(
            walker, CANARY, method -> headers(keysWith.get(requiredRole(method))));

    assertEquals(List.of(), refused);
  }

  @Test
  @Order(0)
  void everyRpcIsClassified() {
    List<String> unclassified =
        RpcWalker.methods().stream()
            .map(MethodDescriptor::getFullMethodName)
            .filter(name -> MethodRoles.required(name).isEmpty())
            .toList();

    assertEquals(List.of(), unclassified);
  }

  private static io.kvdb.gateway.auth.Role requiredRole(String method) {
    return MethodRoles.required(method)
        .orElseThrow(() -> new AssertionError(method + " is not in MethodRoles"));
  }

  /**
   * Leaves out only what others change ({@link CredentialChecks#exclusions}): every key of this
   * test's projects, the API keys and the registries of projects are compared.
   */
  private static List<RedisDigest.Exclusion> exclusions() {
    Matcher keysTag = Pattern.compile("\\{([^}]*)\\}").matcher(Keys.API_KEY_IDS);
    if (!keysTag.find()) {
      throw new IllegalStateException("the API keys have no hash tag: " + Keys.API_KEY_IDS);
    }
    return CredentialChecks.exclusions(Set.of(project, otherProject, keysTag.group(1)));
  }

  private static Metadata headers(String key) {
    return CredentialChecks.headers(project, key);
  }

  private static <S extends AbstractStub<S>> S asAdmin(S stub) {
    return CredentialChecks.as(headers(BOOTSTRAP), stub);
  }

  /** A new key; {@code expiry} null: it never expires. */
  private static CreatedKey createKey(String keyProject, List<Role> roles, Instant expiry) {
    CreateKeyRequest.Builder request =
        CreateKeyRequest.newBuilder()
            .setDescription("conformance: " + roles)
            .addProjects(keyProject)
            .addAllRoles(roles);
    if (expiry != null) {
      request.setExpireTime(Timestamps.fromMillis(expiry.toEpochMilli()));
    }
    return asAdmin(KeyServiceGrpc.newBlockingStub(channel)).createKey(request.build());
  }

  private static io.kvdb.gateway.auth.Role gatewayRole(Role role) {
    return io.kvdb.gateway.auth.Role.valueOf(role.name().substring("ROLE_".length()));
  }
}
