package io.kvdb.client;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS towards a gateway: the CA certificates its certificate must be signed by (PEM) and, for a
 * gateway that requires client certificates (mutual TLS), this client's certificate and key.
 *
 * <pre>{@code
 * TlsOptions tls = TlsOptions.newBuilder()
 *     .setTrustedCertificates(Path.of("ca.pem"))
 *     .setClientCertificate(Path.of("client.pem"), Path.of("client-key.pem"))
 *     .build();
 * KvdbClientOptions.newBuilder().setTarget("kvdb.example:50051").setTls(tls).build();
 * }</pre>
 */
public final class TlsOptions {
  private final byte[] trustedCertificates;
  private final byte[] clientCertificate;
  private final byte[] clientKey;

  private TlsOptions(Builder builder) {
    this.trustedCertificates = builder.trustedCertificates;
    this.clientCertificate = builder.clientCertificate;
    this.clientKey = builder.clientKey;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** The channel credentials these options stand for. */
  ChannelCredentials credentials() {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder();
    try {
      if (trustedCertificates != null) {
        builder.trustManager(new ByteArrayInputStream(trustedCertificates));
      }
      if (clientCertificate != null) {
        builder.keyManager(
            new ByteArrayInputStream(clientCertificate), new ByteArrayInputStream(clientKey));
      }
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    return builder.build();
  }

  /** Builds {@link TlsOptions}; with nothing set, the platform's trusted CAs and no certificate. */
  public static final class Builder {
    private byte[] trustedCertificates;
    private byte[] clientCertificate;
    private byte[] clientKey;

    private Builder() {}

    /** Trust only the CA certificates in this PEM file; default the platform's. */
    public Builder setTrustedCertificates(Path pem) {
      return setTrustedCertificates(read("trusted certificates", pem));
    }

    /** Trust only these CA certificates (PEM); default the platform's. */
    public Builder setTrustedCertificates(byte[] pem) {
      this.trustedCertificates = Check.notNull("trustedCertificates", pem).clone();
      return this;
    }

    /**
     * Present this certificate chain and its private key (PEM files; the key unencrypted PKCS#8) to
     * a gateway that requires one.
     */
    public Builder setClientCertificate(Path certificatePem, Path keyPem) {
      return setClientCertificate(
          read("client certificate", certificatePem), read("client key", keyPem));
    }

    /** Present this certificate chain and private key (PEM) to a gateway that requires one. */
    public Builder setClientCertificate(byte[] certificatePem, byte[] keyPem) {
      this.clientCertificate = Check.notNull("certificatePem", certificatePem).clone();
      this.clientKey = Check.notNull("keyPem", keyPem).clone();
      return this;
    }

    public TlsOptions build() {
      return new TlsOptions(this);
    }

    private static byte[] read(String what, Path file) {
      try {
        return Files.readAllBytes(Check.notNull(what, file));
      } catch (IOException unreadable) {
        throw new UncheckedIOException("cannot read the " + what + " " + file, unreadable);
      }
    }
  }
}
