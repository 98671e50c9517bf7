package io.kvdb.gateway.api;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * Opaque random ids (128 bits, URL-safe base64, 22 characters) for tokens, messages and claims, and
 * the validation of ids that come back in requests.
 */
public final class Ids {
  /**
   * One generator per thread, of the DRBG kind: seeded once from the system, then pure Java. The
   * default (NativePRNG) reads /dev/urandom on every call, a system call per id, which costs more
   * than the rest of a post on a VM.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::drbg);

  private static final int MAX_LENGTH = 64;

  private Ids() {}

  public static String random() {
    byte[] bytes = new byte[16];
    RANDOM.get().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (java.security.NoSuchAlgorithmException unavailable) {
      return new SecureRandom();
    }
  }

  /** An id from a request: 1 to 64 URL-safe characters, so it can be part of a key. */
  public static String valid(String field, String id) {
    if (id.isEmpty() || id.length() > MAX_LENGTH || !id.chars().allMatch(Ids::urlSafe)) {
      throw new InvalidArgumentException(field, "is not an id KVDB issued");
    }
    return id;
  }

  /** 1 to {@code max} valid ids. */
  public static List<String> valid(String field, List<String> ids, int max) {
    Bounds.count(field, ids.size(), 1, max);
    for (int i = 0; i < ids.size(); i++) {
      valid(field + "." + i, ids.get(i));
    }
    return ids;
  }

  private static boolean urlSafe(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }
}
