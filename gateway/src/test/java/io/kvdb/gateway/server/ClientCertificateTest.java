package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.ClientCertificate;
import io.kvdb.gateway.api.ClientCertificateInterceptor;
import io.kvdb.lua.testing.TestCertificates;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler behind the {@link ClientCertificateInterceptor}, on a server with the gateway's TLS
 * credentials, sees the certificate its caller authenticated with, and nothing without one.
 */
class ClientCertificateTest {
  @TempDir Path temp;

  private final AtomicReference<Optional<ClientCertificate>> seen = new AtomicReference<>();
  private Server server;
  private ManagedChannel channel;

  /** A handler that reports what it sees of the caller. */
  private final class Observing extends HealthGrpc.HealthImplBase {
    @Override
    public void check(
        HealthCheckRequest request, StreamObserver<HealthCheckResponse> responseObserver) {
      seen.set(ClientCertificate.current());
      responseObserver.onNext(
          HealthCheckResponse.newBuilder()
              .setStatus(HealthCheckResponse.ServingStatus.SERVING)
              .build());
      responseObserver.onCompleted();
    }
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aMutualTlsCallerIsKnownByItsCertificateSubject() throws IOException {
    TestCertificates certificates = TestCertificates.create(temp);
    start(
        "--tls-cert",
        certificates.server().certificate().toString(),
        "--tls-key",
        certificates.server().key().toString(),
        "--tls-client-ca",
        certificates.caCertificate().toString());

    check(
        TlsChannelCredentials.newBuilder()
            .trustManager(certificates.caCertificate().toFile())
            .keyManager(
                certificates.client().certificate().toFile(), certificates.client().key().toFile())
            .build());

    assertEquals(
        Optional.of(new ClientCertificate(TestCertificates.CLIENT_SUBJECT, List.of())), seen.get());
  }

  @Test
  void aTlsCallerWithoutACertificateIsNobodyInParticular() throws IOException {
    TestCertificates certificates = TestCertificates.create(temp);
    start(
        "--tls-cert",
        certificates.server().certificate().toString(),
        "--tls-key",
        certificates.server().key().toString());

    check(
        TlsChannelCredentials.newBuilder()
            .trustManager(certificates.caCertificate().toFile())
            .build());

    assertEquals(Optional.empty(), seen.get());
  }

  @Test
  void aCertificateOfAnotherCaNeverReachesTheHandler() throws IOException {
    TestCertificates certificates = TestCertificates.create(temp);
    start(
        "--tls-cert",
        certificates.server().certificate().toString(),
        "--tls-key",
        certificates.server().key().toString(),
        "--tls-client-ca",
        certificates.caCertificate().toString());

    var refused =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                check(
                    TlsChannelCredentials.newBuilder()
                        .trustManager(certificates.caCertificate().toFile())
                        .keyManager(
                            certificates.otherClient().certificate().toFile(),
                            certificates.otherClient().key().toFile())
                        .build()));

    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
    assertEquals(null, seen.get(), "the handler never ran");
  }

  private void start(String... flags) throws IOException {
    ServerTls tls = GatewayConfig.parse(flags).tls().orElseThrow();
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), tls.credentials())
            .addService(
                ServerInterceptors.intercept(new Observing(), new ClientCertificateInterceptor()))
            .build()
            .start();
  }

  private void check(ChannelCredentials credentials) {
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.getPort(), credentials).build();
    HealthGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
  }
}
