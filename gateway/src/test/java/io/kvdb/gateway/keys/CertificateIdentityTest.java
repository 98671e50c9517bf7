package io.kvdb.gateway.keys;

import static io.kvdb.gateway.keys.ApiKeyAuthTest.assertStatus;
import static io.kvdb.gateway.keys.ApiKeyAuthTest.headers;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.testing.TestCertificates;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.CreateKeyRequest;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.CreatedKey;
import io.kvdb.proto.v1.Key;
import io.kvdb.proto.v1.KeyServiceGrpc;
import io.kvdb.proto.v1.ListKeysRequest;
import io.kvdb.proto.v1.ListKeysResponse;
import io.kvdb.proto.v1.ListQueuesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.RevokeKeyRequest;
import io.kvdb.proto.v1.Role;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over mutual TLS, a call without an authorization header gets the grant of the key its verified
 * certificate's subject is bound to, and nothing once that key is revoked.
 */
class CertificateIdentityTest {
  private static final String BOOTSTRAP = "bootstrap-" + UUID.randomUUID();

  @TempDir Path temp;
  private final String project = "cert-" + UUID.randomUUID();
  private Gateway gateway;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aBoundCertificateStandsForItsKey() throws IOException {
    TestCertificates certificates = TestCertificates.create(temp);
    gateway =
        Gateway.start(
            GatewayConfig.parse(
                Map.of("KVDB_BOOTSTRAP_ADMIN_KEY", BOOTSTRAP),
                "--port",
                "0",
                "--redis",
                TestRedis.shared().uri().toString(),
                "--tls-cert",
                certificates.server().certificate().toString(),
                "--tls-key",
                certificates.server().key().toString(),
                "--tls-client-ca",
                certificates.caCertificate().toString(),
                "--auth",
                "keys"));
    channel =
        NettyChannelBuilder.forTarget(
                "127.0.0.1:" + gateway.port(),
                TlsChannelCredentials.newBuilder()
                    .trustManager(certificates.caCertificate().toFile())
                    .keyManager(
                        certificates.client().certificate().toFile(),
                        certificates.client().key().toFile())
                    .build())
            .build();
    unbind(TestCertificates.CLIENT_SUBJECT);

    assertStatus(
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED",
        () -> queues(project).listQueues(ListQueuesRequest.getDefaultInstance()));

    CreateKeyRequest bound =
        CreateKeyRequest.newBuilder()
            .addProjects(project)
            .addRoles(Role.ROLE_READ)
            .setCertificateIdentity(TestCertificates.CLIENT_SUBJECT)
            .build();
    CreatedKey key = keys().createKey(bound);
    queues(project).listQueues(ListQueuesRequest.getDefaultInstance());
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
        () -> queues(project).createQueue(CreateQueueRequest.newBuilder().setName("q").build()));
    assertStatus(
        Status.Code.PERMISSION_DENIED,
        "PERMISSION_DENIED",
        () -> queues("other-" + project).listQueues(ListQueuesRequest.getDefaultInstance()));
    assertStatus(Status.Code.ALREADY_EXISTS, "EXISTS", () -> keys().createKey(bound));

    keys().revokeKey(RevokeKeyRequest.newBuilder().setId(key.getKey().getId()).build());
    assertStatus(
        Status.Code.UNAUTHENTICATED,
        "UNAUTHENTICATED",
        () -> queues(project).listQueues(ListQueuesRequest.getDefaultInstance()));
  }

  /** Revokes a key another run left bound to the identity, as an administrator would. */
  private void unbind(String identity) {
    String token = "";
    do {
      ListKeysResponse page =
          keys().listKeys(ListKeysRequest.newBuilder().setPageToken(token).build());
      for (Key key : page.getKeysList()) {
        if (key.getCertificateIdentity().equals(identity)) {
          keys().revokeKey(RevokeKeyRequest.newBuilder().setId(key.getId()).build());
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
  }

  private KeyServiceGrpc.KeyServiceBlockingStub keys() {
    return with(KeyServiceGrpc.newBlockingStub(channel), BOOTSTRAP, "default");
  }

  /** Without an authorization header: the certificate speaks. */
  private QueueServiceGrpc.QueueServiceBlockingStub queues(String project) {
    return with(QueueServiceGrpc.newBlockingStub(channel), null, project);
  }

  private static <S extends AbstractStub<S>> S with(S stub, String secret, String project) {
    return stub.withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers(secret, project)))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
