package io.kvdb.client;

import java.time.Instant;

/**
 * A credential sent as {@code authorization: Bearer <value>} until {@code expiresAt}, as a {@link
 * TokenSupplier} hands it out. Its {@link #toString()} does not show the value.
 */
public record BearerToken(String value, Instant expiresAt) {
  public BearerToken {
    Check.notNull("value", value);
    Check.notNull("expiresAt", expiresAt);
    if (value.isBlank() || !value.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
      throw new IllegalArgumentException(
          "a bearer token must be non-blank printable ASCII without spaces");
    }
  }

  @Override
  public String toString() {
    return "BearerToken[value=<redacted>, expiresAt=" + expiresAt + "]";
  }
}
