package io.kvdb.conformance.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kvdb.client.IssuedKey;
import io.kvdb.client.KeyOptions;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.PageOptions;
import io.kvdb.client.ProjectQuota;
import io.kvdb.client.QuotaLimits;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.Key;
import io.kvdb.proto.v1.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK's administration end to end, on a gateway with {@code --auth keys}: an administrator (the
 * bootstrap key) creates, rotates and revokes project keys through {@code kvdb.admin().keys()} and
 * sets quotas through {@code kvdb.admin().quotas()}; SDK clients with those keys are let in, denied
 * or refused as the keys say, each failure a {@link KvdbException} with the gateway's code and
 * reason. Every lookup goes to Redis ({@code --auth-cache-ms 0}), so a revocation is seen at once.
 */
class SdkAdminConformanceTest {
  private static final String BOOTSTRAP = "bootstrap-" + UUID.randomUUID();

  @TempDir static Path temp;

  private static Gateway gateway;

  private final List<KvdbClient> clients = new ArrayList<>();
  private final String project = KvdbTarget.freshProject();

  @BeforeAll
  static void start() throws Exception {
    Path bootstrapFile = Files.writeString(temp.resolve("bootstrap-key"), BOOTSTRAP + "\n");
    gateway =
        KvdbTarget.ownGateway(
            "--auth",
            "keys",
            "--auth-cache-ms",
            "0",
            "--bootstrap-admin-key-file",
            bootstrapFile.toString());
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @AfterEach
  void closeClients() {
    clients.forEach(KvdbClient::close);
  }

  @Test
  void aProjectKeyMadeByTheAdminPostsAndClaimsInItsProjectOnly() {
    KvdbClient admin = client(project, BOOTSTRAP);
    admin.queues().create("orders");
    IssuedKey issued = admin.admin().keys().create(workerKey(project));
    Key key = issued.key();
    assertEquals(List.of(project), key.getProjectsList());
    assertEquals(
        Set.of(Role.ROLE_PRODUCE, Role.ROLE_CONSUME, Role.ROLE_READ),
        Set.copyOf(key.getRolesList()));
    assertFalse(issued.toString().contains(issued.secret()), "toString shows the secret");
    assertTrue(
        StreamSupport.stream(admin.admin().keys().listAll(PageOptions.FIRST).spliterator(), false)
            .anyMatch(listed -> listed.getId().equals(key.getId())),
        "the new key is listed");

    KvdbClient worker = client(project, issued.secret());
    worker.messages().post("orders", "invoice 1");
    Claim claim = worker.claims().create("orders");
    assertEquals("invoice 1", claim.getMessages(0).getBody().toStringUtf8());

    KvdbClient elsewhere = client(KvdbTarget.freshProject(), issued.secret());
    assertRefused(
        Status.Code.PERMISSION_DENIED,
        ErrorReason.PERMISSION_DENIED,
        () -> elsewhere.messages().post("orders", "not mine"));
    KvdbClient anonymous = client(project, null);
    assertRefused(
        Status.Code.UNAUTHENTICATED,
        ErrorReason.UNAUTHENTICATED,
        () -> anonymous.queues().get("orders"));
    assertRefused(
        Status.Code.PERMISSION_DENIED,
        ErrorReason.PERMISSION_DENIED,
        () -> worker.admin().keys().create(workerKey(project)));
  }

  @Test
  void aRotatedKeysSecretsBothWorkForTheOverlapAndNoneAfterRevocation() {
    KvdbClient admin = client(project, BOOTSTRAP);
    admin.queues().create("orders");
    IssuedKey first = admin.admin().keys().create(workerKey(project));

    IssuedKey second = admin.admin().keys().rotate(first.key().getId(), Duration.ofMinutes(5));

    assertEquals(first.key().getId(), second.key().getId());
    assertFalse(first.secret().equals(second.secret()), "rotation gives a new secret");
    assertTrue(second.key().hasPreviousSecretExpireTime());
    KvdbClient before = client(project, first.secret());
    KvdbClient after = client(project, second.secret());
    before.queues().get("orders");
    after.queues().get("orders");

    admin.admin().keys().revoke(first.key().getId());

    for (KvdbClient revoked : List.of(before, after)) {
      assertRefused(
          Status.Code.UNAUTHENTICATED,
          ErrorReason.UNAUTHENTICATED,
          () -> revoked.queues().get("orders"));
    }
    assertRefused(
        Status.Code.NOT_FOUND,
        ErrorReason.NOT_FOUND,
        () -> admin.admin().keys().revoke(first.key().getId()));
  }

  @Test
  void aQuotaSetThroughTheSdkRefusesTheSecondQueue() {
    KvdbClient admin = client(project, BOOTSTRAP);
    QuotaLimits oneQueue = QuotaLimits.newBuilder().setMaxQueues(1).build();

    assertEquals(oneQueue, admin.admin().quotas().set(project, oneQueue));
    KvdbClient manager = client(project, BOOTSTRAP);
    manager.queues().create("first");
    KvdbException refused =
        assertRefused(
            Status.Code.RESOURCE_EXHAUSTED,
            ErrorReason.LIMIT,
            () -> manager.queues().create("second"));

    assertEquals("max_queues", refused.quota().orElseThrow());
    ProjectQuota quota = admin.admin().quotas().get(project);
    assertEquals(oneQueue, quota.limits());
    assertEquals(1, quota.usage().queues());
    admin.admin().quotas().set(project, QuotaLimits.NONE);
    manager.queues().create("second");
  }

  @Test
  void aRateQuotaTellsTheSdkHowLongToWait() {
    KvdbClient admin = client(project, BOOTSTRAP);
    admin
        .admin()
        .quotas()
        .set(project, QuotaLimits.newBuilder().setRequestsPerSecond(1).setBurst(1).build());
    KvdbClient busy = client(project, BOOTSTRAP);

    KvdbException refused = null;
    for (int call = 0; call < 20 && refused == null; call++) {
      try {
        busy.queues().list(io.kvdb.client.ListQueuesOptions.ALL);
      } catch (KvdbException error) {
        refused = error;
      }
    }

    assertTrue(refused != null, "20 calls at once passed a rate of 1 per second");
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.code());
    assertEquals("requests_per_second", refused.quota().orElseThrow());
    Duration wait = refused.retryDelay().orElseThrow();
    assertTrue(
        !wait.isNegative() && wait.compareTo(Duration.ofSeconds(1)) <= 0, "retry delay " + wait);
    admin.admin().quotas().set(project, QuotaLimits.NONE);
  }

  private static KeyOptions workerKey(String project) {
    return KeyOptions.newBuilder()
        .setDescription("sdk conformance worker")
        .setProjects(List.of(project))
        .setRoles(Role.ROLE_PRODUCE, Role.ROLE_CONSUME, Role.ROLE_READ)
        .build();
  }

  private static KvdbException assertRefused(
      Status.Code code, ErrorReason reason, Executable call) {
    KvdbException error = assertThrows(KvdbException.class, call);
    assertEquals(code, error.code(), error.getMessage());
    assertEquals(reason, error.reason(), error.getMessage());
    return error;
  }

  /** A client of {@code project} sending {@code apiKey} (null: none). */
  private KvdbClient client(String project, String apiKey) {
    KvdbClientOptions.Builder options =
        KvdbClientOptions.newBuilder().setTarget("127.0.0.1:" + gateway.port()).setProject(project);
    if (apiKey != null) {
      options.setApiKey(apiKey);
    }
    KvdbClient client = KvdbClient.create(options.build());
    clients.add(client);
    return client;
  }
}
