package io.kvdb.gateway.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the string field whose bytes are not UTF-8 in a message the parser refused, so the refusal
 * can name it ({@code chunk.entries.0.value}); the parser itself only says that one was.
 */
final class InvalidUtf8 {
  /** Protobuf's own nesting limit: deeper input was refused for that, not for its text. */
  private static final int MAX_DEPTH = 100;

  private InvalidUtf8() {}

  static Optional<String> field(Descriptor type, ByteString bytes) {
    try {
      return find(type, bytes, "", 0);
    } catch (IOException malformed) {
      return Optional.empty();
    }
  }

  private static Optional<String> find(Descriptor type, ByteString bytes, String prefix, int depth)
      throws IOException {
    if (depth > MAX_DEPTH) {
      return Optional.empty();
    }
    CodedInputStream in = bytes.newCodedInput();
    Map<Integer, Integer> seen = new HashMap<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
      boolean text =
          field != null
              && (field.getType() == FieldDescriptor.Type.STRING
                  || field.getType() == FieldDescriptor.Type.MESSAGE);
      if (!text || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        in.skipField(tag);
        continue;
      }
      ByteString value = in.readBytes();
      String name =
          prefix
              + field.getName()
              + (field.isRepeated()
                  ? "." + (seen.merge(field.getNumber(), 1, Integer::sum) - 1)
                  : "");
      if (field.getType() == FieldDescriptor.Type.STRING) {
        if (!value.isValidUtf8()) {
          return Optional.of(name);
        }
      } else {
        Optional<String> inner = find(field.getMessageType(), value, name + ".", depth + 1);
        if (inner.isPresent()) {
          return inner;
        }
      }
    }
    return Optional.empty();
  }
}
