package io.kvdb.gateway.auth;

import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The credential of a call's {@code authorization: Bearer <key or token>} header. */
public final class BearerCredential {
  private static final String SCHEME = "bearer ";

  private BearerCredential() {}

  /**
   * The credential of the one {@code authorization} header (the scheme in any case); empty when the
   * call has none.
   *
   * @throws AuthenticationException for two such headers, another scheme or an empty credential
   */
  public static Optional<String> of(Metadata headers) throws AuthenticationException {
    Iterable<String> values = headers.getAll(Authenticator.AUTHORIZATION);
    if (values == null) {
      return Optional.empty();
    }
    List<String> all = new ArrayList<>();
    values.forEach(all::add);
    if (all.size() != 1) {
      throw new AuthenticationException("more than one authorization header");
    }
    String value = all.get(0);
    if (!value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw new AuthenticationException("the authorization header is not a Bearer credential");
    }
    String credential = value.substring(SCHEME.length()).strip();
    if (credential.isEmpty()) {
      throw new AuthenticationException("the authorization header has an empty Bearer credential");
    }
    return Optional.of(credential);
  }
}
