package io.kvdb.gateway.keys;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Key ids and secrets: a secret is {@code kvdb_} and 256 random bits as unpadded base64url (48
 * characters); Redis only ever sees its SHA-256.
 */
final class KeySecrets {
  static final Pattern ID = Pattern.compile("[a-z0-9]{16}");
  private static final Pattern SECRET = Pattern.compile("kvdb_[A-Za-z0-9_-]{43}");
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom random = new SecureRandom();

  private KeySecrets() {}

  static String newSecret() {
    byte[] bits = new byte[32];
    random.nextBytes(bits);
    return "kvdb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  static String newId() {
    StringBuilder id = new StringBuilder(16);
    for (int i = 0; i < 16; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    return id.toString();
  }

  /** Whether {@code secret} has the shape of a key this gateway issues. */
  static boolean looksLikeSecret(String secret) {
    return SECRET.matcher(secret).matches();
  }

  /** The SHA-256 of the secret, in hex, as Redis stores it. */
  static String hash(String secret) {
    return HexFormat.of().formatHex(digest(secret));
  }

  static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every Java platform has SHA-256", impossible);
    }
  }
}
