package io.kvdb.lua.script;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Decodes the RESP values a script returns: integers arrive as Long, strings as byte[]. */
public final class Replies {
  private Replies() {}

  public static List<?> list(Object reply) {
    if (reply instanceof List<?> list) {
      return list;
    }
    throw unexpected("an array", reply);
  }

  public static long asLong(Object reply) {
    if (reply instanceof Long value) {
      return value;
    }
    if (reply instanceof byte[] bytes) {
      return Long.parseLong(asString(bytes));
    }
    throw unexpected("an integer", reply);
  }

  /** A string, or an integer as its decimal text (scripts may return either for a field). */
  public static String asString(Object reply) {
    if (reply instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (reply instanceof Long number) {
      return number.toString();
    }
    throw unexpected("a string", reply);
  }

  public static byte[] asBytes(Object reply) {
    if (reply instanceof byte[] bytes) {
      return bytes;
    }
    throw unexpected("a string", reply);
  }

  public static Instant asInstant(Object millis) {
    return Instant.ofEpochMilli(asLong(millis));
  }

  private static ScriptRefusedException unexpected(String expected, Object reply) {
    String actual = reply == null ? "nil" : reply.getClass().getSimpleName();
    return new ScriptRefusedException(
        Reason.INTERNAL, "expected " + expected + " from Redis, got " + actual);
  }
}
