package io.kvdb.gateway.server;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS for the gRPC port: the server's certificate chain and key (PEM), and for mutual TLS the CAs a
 * client's certificate must be signed by.
 */
public record ServerTls(Path certificate, Path key, Optional<Path> clientCa) {

  /**
   * TLS as the flags ask for it: none without any, else both {@code --tls-cert} and {@code
   * --tls-key}, and {@code --tls-client-ca} only with them.
   *
   * @throws IllegalArgumentException naming the flag that is missing
   */
  static Optional<ServerTls> of(Path certificate, Path key, Path clientCa) {
    if (certificate == null && key == null) {
      if (clientCa != null) {
        throw new IllegalArgumentException("--tls-client-ca needs --tls-cert and --tls-key");
      }
      return Optional.empty();
    }
    if (key == null) {
      throw new IllegalArgumentException("--tls-cert needs --tls-key");
    }
    if (certificate == null) {
      throw new IllegalArgumentException("--tls-key needs --tls-cert");
    }
    return Optional.of(new ServerTls(certificate, key, Optional.ofNullable(clientCa)));
  }

  /** Whether clients must present a certificate: {@code "mTLS"}, or else {@code "TLS"}. */
  String mode() {
    return clientCa.isPresent() ? "mTLS" : "TLS";
  }

  /** The credentials, with the JDK's TLS; a client CA makes a client certificate required. */
  ServerCredentials credentials() {
    try {
      TlsServerCredentials.Builder builder =
          TlsServerCredentials.newBuilder().keyManager(certificate.toFile(), key.toFile());
      if (clientCa.isPresent()) {
        builder
            .trustManager(clientCa.get().toFile())
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return builder.build();
    } catch (IOException unreadable) {
      throw new UncheckedIOException(
          "cannot read the TLS files: " + unreadable.getMessage(), unreadable);
    }
  }
}
