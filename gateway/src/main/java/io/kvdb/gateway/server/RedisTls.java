package io.kvdb.gateway.server;

import io.kvdb.lua.redis.RedisAddress;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS towards a {@code rediss} Redis beyond the JVM's defaults: the CAs (PEM) its certificate must
 * be signed by instead of the default trust store, and a client certificate and key (PEM) for a
 * Redis that asks for one ({@code tls-auth-clients yes}).
 */
public record RedisTls(Optional<Path> ca, Optional<Path> certificate, Optional<Path> key) {

  /**
   * TLS as the flags ask for it: none without any; {@code --redis-tls-cert} and {@code
   * --redis-tls-key} together; any of them only with a {@code rediss} URL.
   *
   * @throws IllegalArgumentException naming the flag that is missing or out of place
   */
  static Optional<RedisTls> of(Path ca, Path certificate, Path key, URI redisUrl) {
    if (ca == null && certificate == null && key == null) {
      return Optional.empty();
    }
    if (certificate != null && key == null) {
      throw new IllegalArgumentException("--redis-tls-cert needs --redis-tls-key");
    }
    if (key != null && certificate == null) {
      throw new IllegalArgumentException("--redis-tls-key needs --redis-tls-cert");
    }
    if (redisUrl == null || !RedisAddress.parse(redisUrl).tls()) {
      throw new IllegalArgumentException(
          (ca != null ? "--redis-tls-ca" : "--redis-tls-cert")
              + " needs a --redis URL of scheme rediss or rediss-sentinel");
    }
    return Optional.of(
        new RedisTls(
            Optional.ofNullable(ca), Optional.ofNullable(certificate), Optional.ofNullable(key)));
  }

  /** The sockets the Redis client connects with, from the JDK's TLS. */
  SSLSocketFactory socketFactory() {
    SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
    ca.ifPresent(file -> builder.trustManager(file.toFile()));
    certificate.ifPresent(file -> builder.keyManager(file.toFile(), key.orElseThrow().toFile()));
    try {
      return ((JdkSslContext) builder.build()).context().getSocketFactory();
    } catch (SSLException | IllegalArgumentException unusable) {
      throw new IllegalArgumentException(
          "cannot use the --redis-tls files: " + unusable.getMessage(), unusable);
    }
  }
}
