package io.kvdb.gateway.api;

import java.util.regex.Pattern;

/**
 * The rules for names that become part of Redis keys. The character set leaves out every character
 * the key schema uses as punctuation ({@code : / { }}), so no name can reach into another
 * resource's keys.
 */
public final class Names {
  public static final String DEFAULT_PROJECT = "default";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_.-]{1,256}");
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]{0,64}");
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9_.-]{1,200}");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
  private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_.-]{1,64}(\\.dead)?");

  private Names() {}

  /** A queue (or lock, channel...) name: 1 to 64 of {@code A-Z a-z 0-9 _ . -}. */
  public static String name(String field, String value) {
    return matching(NAME, field, value, "must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
  }

  /** A broker channel: a name, or a name and ".dead" (the dead-letter channel of any channel). */
  public static String channel(String field, String value) {
    return matching(
        CHANNEL, field, value, "must be 1 to 64 characters of A-Z a-z 0-9 _ . - (and .dead)");
  }

  /** A service name (Zato's are long and dotted): 1 to 200 of {@code A-Z a-z 0-9 _ . -}. */
  public static String service(String field, String value) {
    return matching(SERVICE, field, value, "must be 1 to 200 characters of A-Z a-z 0-9 _ . -");
  }

  /** A project id: 1 to 256 of {@code A-Z a-z 0-9 _ . -}. */
  public static String project(String field, String value) {
    return matching(PROJECT, field, value, "must be 1 to 256 characters of A-Z a-z 0-9 _ . -");
  }

  /**
   * A post's idempotency key: 1 to 128 of {@code A-Z a-z 0-9 _ . : -}, so a UUID or {@code
   * order:42} fits. It may hold ':' because it ends its key ({@code ...:posted:<key>}), which no
   * other key extends; '/', '{' and '}' stay out.
   */
  public static String idempotencyKey(String field, String value) {
    return matching(
        IDEMPOTENCY_KEY, field, value, "must be 1 to 128 characters of A-Z a-z 0-9 _ . : -");
  }

  /** A name prefix: empty, or what could start a name. */
  public static String prefix(String field, String value) {
    return matching(PREFIX, field, value, "must be up to 64 characters of A-Z a-z 0-9 _ . -");
  }

  private static String matching(Pattern pattern, String field, String value, String rule) {
    if (value.isEmpty() && !pattern.matcher("").matches()) {
      throw new InvalidArgumentException(field, "is required");
    }
    if (!pattern.matcher(value).matches()) {
      throw new InvalidArgumentException(field, rule + ", got \"" + shorten(value) + "\"");
    }
    return value;
  }

  private static String shorten(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
