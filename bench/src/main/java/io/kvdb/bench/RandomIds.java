package io.kvdb.bench;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ids for the direct workloads' messages, claims and lock tokens: 128 random bits in URL-safe
 * base64, 22 characters as the gateway's. Not secure random: only their shape matters here.
 */
final class RandomIds {
  private RandomIds() {}

  static String next() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] bits =
        ByteBuffer.allocate(16).putLong(random.nextLong()).putLong(random.nextLong()).array();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }
}
