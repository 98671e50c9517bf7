package io.kvdb.lua.codec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Converts JSON-like Java values to msgpack and back: {@code null}, {@link Boolean}, {@link
 * Number}, {@link String}, {@link List} and {@link Map} with string keys. Whole numbers are written
 * as msgpack integers so that Lua scripts ({@code cmsgpack}) read them as numbers and other
 * languages as integers; other numbers as doubles.
 */
public final class MsgpackValues {
  private MsgpackValues() {}

  public static byte[] encode(Object value) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      pack(packer, value);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Object decode(byte[] bytes) {
    try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(bytes)) {
      return unpack(unpacker);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pack(MessagePacker packer, Object value) throws IOException {
    if (value == null) {
      packer.packNil();
    } else if (value instanceof Boolean b) {
      packer.packBoolean(b);
    } else if (value instanceof Double || value instanceof Float) {
      packNumber(packer, ((Number) value).doubleValue());
    } else if (value instanceof Number n) {
      packer.packLong(n.longValue());
    } else if (value instanceof String s) {
      packer.packString(s);
    } else if (value instanceof List<?> list) {
      packer.packArrayHeader(list.size());
      for (Object element : list) {
        pack(packer, element);
      }
    } else if (value instanceof Map<?, ?> map) {
      packer.packMapHeader(map.size());
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        packer.packString(String.valueOf(entry.getKey()));
        pack(packer, entry.getValue());
      }
    } else {
      throw new IllegalArgumentException("not a JSON-like value: " + value.getClass().getName());
    }
  }

  private static void packNumber(MessagePacker packer, double number) throws IOException {
    boolean whole = number == Math.rint(number) && Math.abs(number) < 0x1p63;
    if (whole && !Double.isInfinite(number)) {
      packer.packLong((long) number);
    } else {
      packer.packDouble(number);
    }
  }

  private static Object unpack(MessageUnpacker unpacker) throws IOException {
    ValueType type = unpacker.getNextFormat().getValueType();
    switch (type) {
      case NIL:
        unpacker.unpackNil();
        return null;
      case BOOLEAN:
        return unpacker.unpackBoolean();
      case INTEGER:
        return unpacker.unpackLong();
      case FLOAT:
        return unpacker.unpackDouble();
      case STRING:
        return unpacker.unpackString();
      case ARRAY:
        int size = unpacker.unpackArrayHeader();
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(unpack(unpacker));
        }
        return list;
      case MAP:
        int entries = unpacker.unpackMapHeader();
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
          map.put(String.valueOf(unpack(unpacker)), unpack(unpacker));
        }
        return map;
      default:
        throw new IllegalArgumentException("unsupported msgpack type " + type);
    }
  }
}
