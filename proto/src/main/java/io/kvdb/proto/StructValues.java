package io.kvdb.proto;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts {@code google.protobuf.Struct}, the contract's JSON-like map, to plain Java values and
 * back: {@code null}, {@link Boolean}, {@link Double} (any {@link Number} on the way in), {@link
 * String}, {@link List} and {@link Map}. Shared by the gateway and the SDK, which both speak the
 * contract, so it lives beside the generated classes.
 */
public final class StructValues {
  private StructValues() {}

  public static Map<String, Object> toMap(Struct struct) {
    Map<String, Object> map = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((key, value) -> map.put(key, toJava(value)));
    return map;
  }

  public static Struct toStruct(Map<String, ?> map) {
    Struct.Builder struct = Struct.newBuilder();
    map.forEach((key, value) -> struct.putFields(key, toValue(value)));
    return struct.build();
  }

  public static Object toJava(Value value) {
    return switch (value.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> value.getBoolValue();
      case NUMBER_VALUE -> value.getNumberValue();
      case STRING_VALUE -> value.getStringValue();
      case STRUCT_VALUE -> toMap(value.getStructValue());
      case LIST_VALUE -> {
        List<Object> list = new ArrayList<>();
        value.getListValue().getValuesList().forEach(element -> list.add(toJava(element)));
        yield list;
      }
    };
  }

  public static Value toValue(Object value) {
    Value.Builder builder = Value.newBuilder();
    if (value == null) {
      builder.setNullValue(NullValue.NULL_VALUE);
    } else if (value instanceof Boolean b) {
      builder.setBoolValue(b);
    } else if (value instanceof Number n) {
      builder.setNumberValue(n.doubleValue());
    } else if (value instanceof String s) {
      builder.setStringValue(s);
    } else if (value instanceof Map<?, ?> map) {
      Struct.Builder struct = Struct.newBuilder();
      map.forEach((key, element) -> struct.putFields(String.valueOf(key), toValue(element)));
      builder.setStructValue(struct);
    } else if (value instanceof List<?> list) {
      ListValue.Builder elements = ListValue.newBuilder();
      list.forEach(element -> elements.addValues(toValue(element)));
      builder.setListValue(elements);
    } else {
      throw new IllegalArgumentException("not a JSON-like value: " + value.getClass().getName());
    }
    return builder.build();
  }
}
