package io.kvdb.gateway.api;

/** Validates numbers and list sizes from requests, naming the field when they are out of bounds. */
public final class Bounds {
  private Bounds() {}

  /** A number within {@code [min, max]}. */
  public static int within(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidArgumentException(
          field, "must be from " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  /** A number within {@code [min, max]}. */
  public static long within(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidArgumentException(
          field, "must be from " + min + " to " + max + ", got " + value);
    }
    return value;
  }

  /** A list holding {@code min} to {@code max} items. */
  public static void count(String field, int size, int min, int max) {
    if (size < min || size > max) {
      throw new InvalidArgumentException(
          field, "must hold " + min + " to " + max + ", got " + size);
    }
  }
}
