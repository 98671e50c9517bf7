package io.kvdb.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway started with {@code --auth jwt} on an HMAC secret file: a token its issuer signed lets
 * in exactly the projects and roles its claims name; an expired, foreign or absent one does not.
 */
class JwtGatewayTest {
  private static final String ISSUER = "https://issuer.example";
  private static byte[] secret;
  private static Gateway gateway;
  private static ManagedChannel channel;

  @TempDir static Path temp;

  private final String project = "jwt-" + UUID.randomUUID();

  @BeforeAll
  static void start() throws Exception {
    secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    Path secretFile =
        Files.writeString(
            temp.resolve("jwt-secret"),
            Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
    secret = Files.readString(secretFile).strip().getBytes(StandardCharsets.UTF_8);
    gateway =
        Gateway.start(
            GatewayConfig.parse(
                "--port",
                "0",
                "--redis",
                TestRedis.shared().uri().toString(),
                "--auth",
                "jwt",
                "--jwt-hmac-secret-file",
                secretFile.toString(),
                "--jwt-issuer",
                ISSUER));
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

  @Test
  void aTokenLetsInItsProjectsWithItsRoles() throws Exception {
    String token = token(project, List.of("manage", "read"), Duration.ofMinutes(5));
    queues(token, project).createQueue(CreateQueueRequest.newBuilder().setName("q").build());
    assertEquals("q", queues(token, project).getQueue(get("q")).getName());

    assertRefused(
        Status.Code.PERMISSION_DENIED,
        () -> queues(token, "another-" + project).getQueue(get("q")));
    assertRefused(
        Status.Code.PERMISSION_DENIED,
        () ->
            MessageServiceGrpc.newBlockingStub(channel)
                .withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(headers(token, project)))
                .postMessages(
                    PostMessagesRequest.newBuilder()
                        .setQueue("q")
                        .addMessages(NewMessage.newBuilder().setTtl(ttl()))
                        .build()));
  }

  @Test
  void anExpiredForeignOrAbsentTokenIsUnauthenticated() throws Exception {
    String expired = token(project, List.of("read"), Duration.ofMinutes(-5));
    assertRefused(Status.Code.UNAUTHENTICATED, () -> queues(expired, project).getQueue(get("q")));

    byte[] otherSecret = new byte[32];
    new SecureRandom().nextBytes(otherSecret);
    String foreign =
        sign(otherSecret, claims(project, List.of("read"), Duration.ofMinutes(5)).build());
    StatusRuntimeException refused =
        assertRefused(
            Status.Code.UNAUTHENTICATED, () -> queues(foreign, project).getQueue(get("q")));
    assertTrue(!refused.getMessage().contains(foreign), refused.getMessage());

    assertRefused(Status.Code.UNAUTHENTICATED, () -> queues(null, project).getQueue(get("q")));
  }

  private static com.google.protobuf.Duration ttl() {
    return com.google.protobuf.Duration.newBuilder().setSeconds(60).build();
  }

  private static GetQueueRequest get(String name) {
    return GetQueueRequest.newBuilder().setName(name).build();
  }

  private static String token(String project, List<String> roles, Duration lifetime)
      throws JOSEException {
    return sign(secret, claims(project, roles, lifetime).build());
  }

  private static JWTClaimsSet.Builder claims(String project, List<String> roles, Duration life) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("worker-7")
        .issueTime(Date.from(now.minus(Duration.ofMinutes(10))))
        .expirationTime(Date.from(now.plus(life)))
        .claim(JwtSettings.DEFAULT_PROJECTS_CLAIM, List.of(project))
        .claim(JwtSettings.DEFAULT_ROLES_CLAIM, roles);
  }

  private static String sign(byte[] key, JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(key));
    return jwt.serialize();
  }

  private static QueueServiceGrpc.QueueServiceBlockingStub queues(String token, String project) {
    return QueueServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers(token, project)))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static Metadata headers(String token, String project) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
    if (token != null) {
      headers.put(Authenticator.AUTHORIZATION, "Bearer " + token);
    }
    return headers;
  }

  private static StatusRuntimeException assertRefused(
      Status.Code code, org.junit.jupiter.api.function.Executable call) {
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, refused.getStatus().getCode(), refused.getMessage());
    return refused;
  }
}
