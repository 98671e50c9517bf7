package io.kvdb.gateway.server;

import io.kvdb.gateway.auth.AuthSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The bootstrap administrator key, from {@code --bootstrap-admin-key-file} or {@link #ENV}; errors
 * name where it came from, never its text.
 */
final class BootstrapKey {
  static final String ENV = "KVDB_BOOTSTRAP_ADMIN_KEY";
  private static final String FLAG = "--bootstrap-admin-key-file";

  private BootstrapKey() {}

  static Optional<String> read(Path file, String fromEnv) {
    if (file != null && fromEnv != null) {
      throw new IllegalArgumentException(
          "give the bootstrap administrator key once: " + FLAG + " or " + ENV + ", not both");
    }
    if (fromEnv != null) {
      return Optional.of(checked(fromEnv.strip(), ENV));
    }
    if (file == null) {
      return Optional.empty();
    }
    String key;
    try {
      // Files written by echo or editors end with a newline, which is no part of the key.
      key = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException | RuntimeException unreadable) {
      throw new IllegalArgumentException(
          "Invalid value for option '" + FLAG + "': '" + file + "' is not a readable text file");
    }
    return Optional.of(checked(key, FLAG + " " + file));
  }

  private static String checked(String key, String source) {
    if (key.length() < AuthSettings.MIN_BOOTSTRAP_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "the bootstrap administrator key from "
              + source
              + " must be at least "
              + AuthSettings.MIN_BOOTSTRAP_KEY_LENGTH
              + " characters, got "
              + key.length());
    }
    return key;
  }
}
