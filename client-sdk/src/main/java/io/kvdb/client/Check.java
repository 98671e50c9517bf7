package io.kvdb.client;

import java.time.Duration;
import java.util.Objects;

/** Validation of option values where they are set, naming the option in the message. */
final class Check {
  private Check() {}

  static <T> T notNull(String option, T value) {
    return Objects.requireNonNull(value, option);
  }

  static int atLeast(String option, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  static long atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", was " + value);
    }
    return value;
  }

  static int between(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be from " + min + " to " + max + ", was " + value);
    }
    return value;
  }

  static long notNegative(String option, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " must not be negative, was " + value);
    }
    return value;
  }

  static Duration positive(String option, Duration value) {
    notNull(option, value);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, was " + value);
    }
    return value;
  }

  static Duration notNegative(String option, Duration value) {
    notNull(option, value);
    if (value.isNegative()) {
      throw new IllegalArgumentException(option + " must not be negative, was " + value);
    }
    return value;
  }

  static Duration between(String option, Duration value, Duration min, Duration max) {
    notNull(option, value);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          option + " must be from " + min + " to " + max + ", was " + value);
    }
    return value;
  }

  static String atMost(String option, String value, int maxLength) {
    notNull(option, value);
    if (value.length() > maxLength) {
      throw new IllegalArgumentException(
          option + " must be at most " + maxLength + " characters, was " + value.length());
    }
    return value;
  }
}
