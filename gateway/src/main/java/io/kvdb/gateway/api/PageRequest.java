package io.kvdb.gateway.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Validated pagination: a page size within bounds and the position after which the page starts,
 * carried between calls as an opaque token (URL-safe base64 of a versioned cursor, so the format
 * can change without breaking clients that hold old tokens).
 */
public record PageRequest(int size, String after) {
  private static final String VERSION = "v1:";

  /** Validates {@code page_size} (0 means the default) and decodes {@code page_token}. */
  public static PageRequest of(int pageSize, int defaultSize, int maxSize, String pageToken) {
    if (pageSize < 0 || pageSize > maxSize) {
      throw new InvalidArgumentException(
          "page_size",
          "must be between 1 and "
              + maxSize
              + " (0 for the default of "
              + defaultSize
              + "), got "
              + pageSize);
    }
    return new PageRequest(pageSize == 0 ? defaultSize : pageSize, decode(pageToken));
  }

  /** The cursor as a number (a message rank); {@code INVALID} when the token holds none. */
  public Long afterNumber() {
    if (after == null) {
      return null;
    }
    try {
      return Long.parseLong(after);
    } catch (NumberFormatException notOurs) {
      throw new InvalidArgumentException(
          "page_token", "is not a token returned by a previous page");
    }
  }

  /** The token of a page that ended at {@code last}. */
  public static String tokenAfter(String last) {
    byte[] cursor = (VERSION + last).getBytes(StandardCharsets.UTF_8);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor);
  }

  private static String decode(String token) {
    if (token.isEmpty()) {
      return null;
    }
    try {
      String cursor = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (cursor.startsWith(VERSION) && cursor.length() > VERSION.length()) {
        return cursor.substring(VERSION.length());
      }
    } catch (IllegalArgumentException notBase64) {
      // Reported below, like any other token this gateway did not issue.
    }
    throw new InvalidArgumentException("page_token", "is not a token returned by a previous page");
  }
}
