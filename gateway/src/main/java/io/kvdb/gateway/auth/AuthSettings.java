package io.kvdb.gateway.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * How the gateway authenticates callers: the {@code --auth} mode, whether {@code none} may serve
 * other machines ({@code --insecure}), how long a key lookup is cached, and the bootstrap
 * administrator key (the secret itself, never stored; {@link #toString()} hides it).
 */
public record AuthSettings(
    Mode mode, boolean insecure, Duration cacheTtl, Optional<String> bootstrapAdminKey) {
  /** The shortest bootstrap key accepted: about 190 bits as base64, 128 as hex. */
  public static final int MIN_BOOTSTRAP_KEY_LENGTH = 32;

  public static final AuthSettings OPEN =
      new AuthSettings(Mode.NONE, false, Duration.ofSeconds(1), Optional.empty());

  /** The {@code --auth} modes. */
  public enum Mode {
    /** Every caller may do everything: for development on loopback. */
    NONE,
    /** API keys ({@code authorization: Bearer <key>}) managed by the KeyService. */
    KEYS,
    /** Signed tokens (JWT). */
    JWT
  }

  public AuthSettings {
    bootstrapAdminKey.ifPresent(
        key -> {
          if (key.length() < MIN_BOOTSTRAP_KEY_LENGTH) {
            throw new IllegalArgumentException(
                "the bootstrap administrator key must be at least "
                    + MIN_BOOTSTRAP_KEY_LENGTH
                    + " characters, got "
                    + key.length());
          }
        });
  }

  /** How the start line names this mode. */
  public String describe() {
    return switch (mode) {
      case NONE ->
          insecure
              ? "open to every caller (--auth none, --insecure)"
              : "open to every caller (--auth none, loopback only)";
      case KEYS -> "--auth keys";
      case JWT -> "--auth jwt";
    };
  }

  @Override
  public String toString() {
    return "AuthSettings[mode="
        + mode
        + ", insecure="
        + insecure
        + ", cacheTtl="
        + cacheTtl
        + ", bootstrapAdminKey="
        + bootstrapAdminKey.map(key -> "(hidden)").orElse("none")
        + "]";
  }
}
