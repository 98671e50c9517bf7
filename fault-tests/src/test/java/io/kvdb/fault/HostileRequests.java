package io.kvdb.fault;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Request bodies meant to hurt: random bytes, and well-formed messages of any type whose every
 * field holds something hostile: names with {@code :}, braces, slashes, unicode, empty or 10 KiB;
 * garbage page tokens; numbers at their extremes; durations and timestamps of +-2^63 seconds;
 * repeated fields past their limits; bodies past 1 MiB. Seeded, so a failure can be replayed.
 */
final class HostileRequests {
  private static final int MAX_DEPTH = 3;
  private static final List<String> NAMES =
      List.of(
          ":",
          "{",
          "}",
          "/",
          "a:b",
          "{q}",
          "q}",
          "{",
          "../x",
          "q/../../r",
          "é",
          "日本語",
          "😀",
          "\u0000",
          "",
          " ",
          "*",
          "?",
          "%s",
          "\\",
          "\n",
          "x".repeat(10 * 1024),
          "q",
          "q.dead",
          "work",
          "kvdb:{p}:q");
  private static final List<Long> LONGS =
      List.of(
          0L,
          -1L,
          1L,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          (long) Integer.MAX_VALUE,
          (long) Integer.MIN_VALUE,
          315_576_000_001L,
          1_000L,
          1_001L);
  private static final List<Integer> INTS =
      List.of(0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 100, 1_000, 1_001, 65_536);
  private static final List<Double> DOUBLES =
      List.of(
          0.0,
          -0.0,
          Double.NaN,
          Double.POSITIVE_INFINITY,
          Double.NEGATIVE_INFINITY,
          1e308,
          -1e308,
          Double.MIN_VALUE);

  private final Random random;

  HostileRequests(long seed) {
    this.random = new Random(seed);
  }

  byte[] randomBytes(int maxLength) {
    byte[] bytes = new byte[1 + random.nextInt(maxLength)];
    random.nextBytes(bytes);
    return bytes;
  }

  DynamicMessage message(Descriptor type) {
    return message(type, 0);
  }

  private DynamicMessage message(Descriptor type, int depth) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      if (random.nextInt(10) < 3) {
        continue;
      }
      if (field.isRepeated()) {
        int count = depth == 0 && random.nextInt(20) == 0 ? 1_001 : random.nextInt(4);
        for (int i = 0; i < count && depth < MAX_DEPTH; i++) {
          builder.addRepeatedField(field, value(field, depth));
        }
      } else if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || depth < MAX_DEPTH) {
        builder.setField(field, value(field, depth));
      }
    }
    return builder.build();
  }

  private Object value(FieldDescriptor field, int depth) {
    return switch (field.getJavaType()) {
      case STRING ->
          field.getName().contains("token") && random.nextBoolean() ? garbageToken() : pick(NAMES);
      case INT -> pick(INTS);
      case LONG -> pick(LONGS);
      case DOUBLE -> pick(DOUBLES);
      case FLOAT -> pick(DOUBLES).floatValue();
      case BOOLEAN -> random.nextBoolean();
      case BYTE_STRING ->
          random.nextInt(30) == 0
              ? ByteString.copyFrom(new byte[1024 * 1024 + 1])
              : ByteString.copyFrom(randomBytes(32));
      case ENUM -> enumValue(field.getEnumType());
      case MESSAGE -> message(field.getMessageType(), depth + 1);
    };
  }

  private Object enumValue(EnumDescriptor type) {
    if (random.nextInt(4) == 0) {
      return type.findValueByNumberCreatingIfUnknown(random.nextBoolean() ? 99 : -1);
    }
    return type.getValues().get(random.nextInt(type.getValues().size()));
  }

  private String garbageToken() {
    return switch (random.nextInt(5)) {
      case 0 -> Base64.getEncoder().encodeToString(randomBytes(48));
      case 1 ->
          Base64.getUrlEncoder().encodeToString("{\"after\":\"\\u0000\",\"n\":-1}".getBytes());
      case 2 -> "!!not-a-token!!";
      case 3 -> "9".repeat(40);
      default -> "%%%%" + pick(NAMES);
    };
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
