package io.kvdb.gateway.auth;

import io.grpc.Metadata;
import io.kvdb.gateway.api.ClientCertificate;
import java.util.Optional;

/**
 * Turns a call's credential into a {@link Grant}: one implementation per {@code --auth} mode. It
 * runs before the service method, on the call's executor thread, so it may block briefly (a cached
 * Redis lookup) but never for long.
 */
public interface Authenticator {
  /** The header a credential travels in: {@code authorization: Bearer <key or token>}. */
  Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /**
   * The grant of the call's credential: the {@code authorization} header, or the verified client
   * certificate where that may stand for one.
   *
   * @throws AuthenticationException when the credential is missing, malformed, unknown, revoked or
   *     expired; its message is for the audit log and is never sent to the caller
   */
  Grant authenticate(Metadata headers, Optional<ClientCertificate> certificate)
      throws AuthenticationException;
}
