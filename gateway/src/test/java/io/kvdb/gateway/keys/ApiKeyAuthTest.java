package io.kvdb.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Durations;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.CreateKeyRequest;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.CreatedKey;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.KeyServiceGrpc;
import io.kvdb.proto.v1.ListKeysRequest;
import io.kvdb.proto.v1.ListQueuesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.RevokeKeyRequest;
import io.kvdb.proto.v1.Role;
import io.kvdb.proto.v1.RotateKeyRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A gateway with {@code --auth keys} and a long lookup cache: keys made with the bootstrap key let
 * in exactly their projects and roles, and a revocation or rotation through this gateway takes
 * effect at once.
 */
class ApiKeyAuthTest {
  private static final String BOOTSTRAP = "bootstrap-" + UUID.randomUUID();

  @TempDir static Path temp;
  private static Gateway gateway;
  private static ManagedChannel channel;

  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();
  private final String project = "keys-" + UUID.randomUUID();

  @BeforeAll
  static void start() throws Exception {
    Path bootstrapFile = Files.writeString(temp.resolve("bootstrap-key"), BOOTSTRAP + "\n");
    gateway =
        Gateway.start(
            GatewayConfig.parse(
                "--port",
                "0",
                "--redis",
                TestRedis.shared().uri().toString(),
                "--auth",
                "keys",
                "--auth-cache-ms",
                "60000",
                "--bootstrap-admin-key-file",
                bootstrapFile.toString()));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @BeforeEach
  void captureAudit() {
    audit.start();
    auditLogger().addAppender(audit);
  }

  @AfterEach
  void releaseAudit() {
    auditLogger().detachAppender(audit);
  }

  @Test
  void aCallWithoutACredentialIsUnauthenticatedAndAudited() {
    assertStatus(
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED",
        () -> queues(null, project).getQueue(GetQueueRequest.newBuilder().setName("q").build()));
    String forged = "kvdb_" + "A".repeat(43);
    StatusRuntimeException refused =
        assertStatus(
            Status.Code.UNAUTHENTICATED,
            "UNAUTHENTICATED",
            () -> queues(forged, project).listQueues(ListQueuesRequest.getDefaultInstance()));
    assertFalse(refused.getMessage().contains(forged), refused.getMessage());

    List<String> lines = auditLines();
    assertTrue(
        lines.stream()
            .anyMatch(
                line ->
                    line.contains("principal=anonymous")
                        && line.contains("method=kvdb.v1.QueueService/ListQueues")
                        && line.contains("project=" + project)
                        && line.contains("peer=")
                        && line.contains("outcome=UNAUTHENTICATED")),
        lines.toString());
    assertTrue(lines.stream().noneMatch(line -> line.contains(forged)), lines.toString());
  }

  @Test
  void aBadProjectHeaderIsNamedBeforeTheCredentialIsChecked() {
    StatusRuntimeException refused =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            "INVALID",
            () -> queues(null, "no/slashes").listQueues(ListQueuesRequest.getDefaultInstance()));
    assertTrue(refused.getMessage().contains("x-project-id"), refused.getMessage());
  }

  @Test
  void aProjectKeyActsInItsProjectsWithItsRolesOnly() {
    String reader = create(projectKey(Role.ROLE_READ)).getSecret();

    queues(reader, project).listQueues(ListQueuesRequest.getDefaultInstance());
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
        () ->
            queues(reader, project)
                .createQueue(CreateQueueRequest.newBuilder().setName("q").build()));
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
        () ->
            queues(reader, "other-" + project).listQueues(ListQueuesRequest.getDefaultInstance()));
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
        () -> keys(reader).listKeys(ListKeysRequest.getDefaultInstance()));
    assertTrue(
        auditLines().stream()
            .anyMatch(
                line ->
                    line.contains("method=kvdb.v1.KeyService/ListKeys")
                        && line.contains("outcome=PERMISSION_DENIED")
                        && line.contains("principal=key:")),
        auditLines().toString());
  }

  @Test
  void aStreamIsCheckedWhenItStarts() throws Exception {
    String reader = create(projectKey(Role.ROLE_READ)).getSecret();
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    Metadata headers = headers(reader, project);
    StreamObserver<ConsumeRequest> requests =
        ClaimServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .consume(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ConsumeResponse value) {}

                  @Override
                  public void onError(Throwable error) {
                    ended.complete(error);
                  }

                  @Override
                  public void onCompleted() {
                    ended.complete(null);
                  }
                });
    Throwable error = ended.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    assertEquals(Status.Code.PERMISSION_DENIED, Status.fromThrowable(error).getCode());
  }

  @Test
  void anAdministratorKeyActsEverywhereAndItsCallsAreAudited() {
    CreatedKey admin =
        create(
            CreateKeyRequest.newBuilder()
                .setAllProjects(true)
                .addRoles(Role.ROLE_ADMIN)
                .setDescription("ops"));

    queues(admin.getSecret(), project)
        .createQueue(CreateQueueRequest.newBuilder().setName("q").build());
    queues(admin.getSecret(), "elsewhere-" + project)
        .listQueues(ListQueuesRequest.getDefaultInstance());
    keys(admin.getSecret()).listKeys(ListKeysRequest.getDefaultInstance());

    List<String> lines = auditLines();
    assertTrue(
        lines.stream()
            .anyMatch(
                line ->
                    line.contains("principal=key:" + admin.getKey().getId())
                        && line.contains("method=kvdb.v1.KeyService/ListKeys")
                        && line.contains("outcome=OK")),
        lines.toString());
    assertTrue(
        lines.stream()
            .anyMatch(
                line ->
                    line.contains("principal=bootstrap-admin")
                        && line.contains("method=kvdb.v1.KeyService/CreateKey")),
        lines.toString());
    assertTrue(
        lines.stream()
            .noneMatch(line -> line.contains(admin.getSecret()) || line.contains(BOOTSTRAP)),
        lines.toString());
  }

  @Test
  void aRevokedKeyStopsAtOnceOnThisGateway() {
    CreatedKey key = create(projectKey(Role.ROLE_READ));
    queues(key.getSecret(), project).listQueues(ListQueuesRequest.getDefaultInstance());

    keys(BOOTSTRAP).revokeKey(RevokeKeyRequest.newBuilder().setId(key.getKey().getId()).build());

    assertStatus(
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED",
        () -> queues(key.getSecret(), project).listQueues(ListQueuesRequest.getDefaultInstance()));
    assertStatus(
        Status.Code.NOT_FOUND,
        "NOT_FOUND",
        () ->
            keys(BOOTSTRAP)
                .revokeKey(RevokeKeyRequest.newBuilder().setId(key.getKey().getId()).build()));
  }

  @Test
  void aRotatedKeysPreviousSecretWorksForTheOverlapThenStops() {
    CreatedKey key = create(projectKey(Role.ROLE_READ));
    String previous = key.getSecret();
    queues(previous, project).listQueues(ListQueuesRequest.getDefaultInstance());

    CreatedKey rotated =
        keys(BOOTSTRAP)
            .rotateKey(
                RotateKeyRequest.newBuilder()
                    .setId(key.getKey().getId())
                    .setOverlap(Durations.fromMillis(500))
                    .build());

    assertTrue(rotated.getKey().hasPreviousSecretExpireTime());
    queues(previous, project).listQueues(ListQueuesRequest.getDefaultInstance());
    queues(rotated.getSecret(), project).listQueues(ListQueuesRequest.getDefaultInstance());
    Eventually.await(
        "the previous secret stops when the overlap ends, despite the cache",
        () -> {
          try {
            queues(previous, project).listQueues(ListQueuesRequest.getDefaultInstance());
            return false;
          } catch (StatusRuntimeException refused) {
            return refused.getStatus().getCode() == Status.Code.UNAUTHENTICATED;
          }
        });
    queues(rotated.getSecret(), project).listQueues(ListQueuesRequest.getDefaultInstance());
  }

  @Test
  void everyFieldOfANewKeyIsValidated() {
    assertInvalid(
        "all_projects",
        CreateKeyRequest.newBuilder().setAllProjects(true).addRoles(Role.ROLE_READ));
    assertInvalid("roles", CreateKeyRequest.newBuilder().addProjects(project));
    assertInvalid(
        "roles.0",
        CreateKeyRequest.newBuilder().addProjects(project).addRoles(Role.ROLE_UNSPECIFIED));
    assertInvalid("projects", CreateKeyRequest.newBuilder().addRoles(Role.ROLE_READ));
    assertInvalid(
        "projects.1",
        CreateKeyRequest.newBuilder()
            .addProjects(project)
            .addProjects("a/b")
            .addRoles(Role.ROLE_READ));
    assertInvalid(
        "description",
        projectKey(Role.ROLE_READ).setDescription("d".repeat(KeyService.MAX_DESCRIPTION + 1)));
    CreateKeyRequest.Builder many = CreateKeyRequest.newBuilder().addRoles(Role.ROLE_READ);
    for (int i = 0; i <= KeyService.MAX_PROJECTS; i++) {
      many.addProjects("p" + i);
    }
    assertInvalid("projects", many);
    assertInvalid(
        "expire_time",
        projectKey(Role.ROLE_READ)
            .setExpireTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1)));
    assertInvalid(
        "certificate_identity",
        projectKey(Role.ROLE_READ).setCertificateIdentity("x".repeat(KeyService.MAX_IDENTITY + 1)));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "INVALID",
        () ->
            keys(BOOTSTRAP)
                .rotateKey(
                    RotateKeyRequest.newBuilder()
                        .setId("0123456789abcdef")
                        .setOverlap(Durations.fromDays(8))
                        .build()));
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        "INVALID",
        () -> keys(BOOTSTRAP).revokeKey(RevokeKeyRequest.newBuilder().setId("../x").build()));
  }

  private void assertInvalid(String field, CreateKeyRequest.Builder request) {
    StatusRuntimeException refused =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            "INVALID",
            () -> keys(BOOTSTRAP).createKey(request.build()));
    assertEquals(field, errorInfo(refused).getMetadataOrDefault("field", ""), refused.getMessage());
  }

  private CreateKeyRequest.Builder projectKey(Role role) {
    return CreateKeyRequest.newBuilder().addProjects(project).addRoles(role);
  }

  private static CreatedKey create(CreateKeyRequest.Builder request) {
    return keys(BOOTSTRAP).createKey(request.build());
  }

  private static KeyServiceGrpc.KeyServiceBlockingStub keys(String secret) {
    return with(KeyServiceGrpc.newBlockingStub(channel), secret, "default");
  }

  private static QueueServiceGrpc.QueueServiceBlockingStub queues(String secret, String project) {
    return with(QueueServiceGrpc.newBlockingStub(channel), secret, project);
  }

  private static <S extends AbstractStub<S>> S with(S stub, String secret, String project) {
    return stub.withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers(secret, project)))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  static Metadata headers(String secret, String project) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
    if (secret != null) {
      headers.put(io.kvdb.gateway.auth.Authenticator.AUTHORIZATION, "Bearer " + secret);
    }
    return headers;
  }

  static StatusRuntimeException assertStatus(Status.Code code, String reason, Executable call) {
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, refused.getStatus().getCode(), refused.getMessage());
    assertEquals(reason, errorInfo(refused).getReason(), refused.getMessage());
    return refused;
  }

  private static ErrorInfo errorInfo(StatusRuntimeException refused) {
    for (Any detail : StatusProto.fromThrowable(refused).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return detail.unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException unreadable) {
          throw new AssertionError(unreadable);
        }
      }
    }
    throw new AssertionError("no ErrorInfo in " + refused);
  }

  private List<String> auditLines() {
    return List.copyOf(audit.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static Logger auditLogger() {
    return (Logger) LoggerFactory.getLogger("kvdb.audit");
  }
}
