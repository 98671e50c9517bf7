package io.kvdb.gateway.server;

import io.kvdb.lua.redis.RedisAddress;
import io.kvdb.lua.redis.RedisConnector;
import io.kvdb.lua.redis.RedisServerProcess;
import java.net.ConnectException;
import java.net.URI;
import java.util.Optional;
import javax.net.ssl.SSLException;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis the gateway talks to: the configured one, or an embedded one it starts and owns.
 * Closing it closes the client and stops the embedded server, if any.
 */
final class RedisBackend implements AutoCloseable {
  private static final String CLIENT_CERTIFICATE_HINT =
      " (a Redis with tls-auth-clients yes drops a client without --redis-tls-cert)";

  private final Optional<RedisServerProcess> embedded;
  private final URI uri;
  private final UnifiedJedis client;
  private final String description;

  private RedisBackend(
      Optional<RedisServerProcess> embedded, URI uri, UnifiedJedis client, String description) {
    this.embedded = embedded;
    this.uri = uri;
    this.client = client;
    this.description = description;
  }

  /** How the gateway connects to Redis: the control Redis, and every pool alike. */
  static RedisConnector.Settings settings(GatewayConfig config) {
    return new RedisConnector.Settings(
        config.redisPoolSize(),
        config.redisTimeout(),
        config.redisTls().map(RedisTls::socketFactory));
  }

  static RedisBackend open(GatewayConfig config) {
    RedisConnector.Settings settings = settings(config);
    if (config.redisUrl().isPresent()) {
      URI uri = config.redisUrl().get();
      try {
        return new RedisBackend(
            Optional.empty(),
            uri,
            RedisAtStart.patiently(
                RedisAddress.parse(uri).redacted(), () -> RedisConnector.connect(uri, settings)),
            "configured");
      } catch (JedisException unreachable) {
        throw new IllegalStateException(
            "cannot reach Redis at "
                + RedisAddress.parse(uri).redacted()
                + ": "
                + unreachable.getMessage()
                + tlsHint(RedisAddress.parse(uri), unreachable),
            unreachable);
      }
    }
    RedisServerProcess server =
        config
            .embeddedRedisBinary()
            .map(binary -> RedisServerProcess.start(binary, binary.toString()))
            .orElseGet(RedisServerProcess::startEmbedded);
    try {
      UnifiedJedis client = RedisConnector.connect(server.uri(), settings);
      return new RedisBackend(Optional.of(server), server.uri(), client, server.origin());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /**
   * What to check when Redis answered but the connection failed, which is how TLS mistakes show:
   * Jedis reports the JDK's reason or just a reset, never which setting is wrong. A Redis that
   * wants a client certificate shows either way, depending on whether its TLS 1.3 alert ({@code
   * certificate_required}) arrives before it closes the connection.
   */
  private static String tlsHint(RedisAddress address, Throwable failure) {
    boolean handshake = false;
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException) {
        return "";
      }
      if (cause instanceof SSLException ssl
          && String.valueOf(ssl.getMessage()).contains("certificate_required")) {
        return CLIENT_CERTIFICATE_HINT;
      }
      handshake |= cause instanceof SSLException;
    }
    if (handshake) {
      return " (the TLS handshake failed: does --redis-tls-ca hold the CA that signed Redis's"
          + " certificate, and does that certificate name the host?)";
    }
    return address.tls()
        ? CLIENT_CERTIFICATE_HINT
        : " (if that is a TLS port, the URL is rediss://)";
  }

  UnifiedJedis client() {
    return client;
  }

  /** For the start-up log: where Redis is, which one, and its version. */
  String describe() {
    return "Redis "
        + RedisConnector.serverVersion(client)
        + ", "
        + RedisConnector.topology(client)
        + ", at "
        + address()
        + " ("
        + description
        + ")";
  }

  /** Where Redis is, without credentials: for messages. */
  String where() {
    return "Redis at " + address() + " (" + description + ")";
  }

  private String address() {
    return RedisAddress.parse(uri).redacted();
  }

  @Override
  public void close() {
    client.close();
    embedded.ifPresent(RedisServerProcess::close);
  }
}
