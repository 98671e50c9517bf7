package io.kvdb.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.protobuf.StatusProto;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.testing.ScriptErrors;
import io.kvdb.lua.testing.ScriptErrors.Mention;
import io.kvdb.proto.Contract;
import io.kvdb.proto.v1.ErrorReason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A script's refusal reaches clients as the architecture guide says: each {@link Reason} as the
 * {@code ErrorReason} of the same name, and the field a {@code KVDB_INVALID} text starts with,
 * which becomes the BadRequest field, is a field of an rpc's request. The lua module's
 * ScriptReasonsTest checks that the scripts raise only known reasons.
 */
class ScriptErrorsTest {
  private static final Path SCRIPTS = Path.of("..", "lua", "scripts");

  /** Every proto file that declares a service: one per domain. */
  @Test
  void everyReasonBecomesTheErrorReasonOfItsName() throws Exception {
    for (Reason reason : Reason.values()) {
      ErrorInfo info =
          detail(new ScriptRefusedException(reason, "field is wrong"), ErrorInfo.class);
      // A quota's refusal is a LIMIT as any other, told apart by its google.rpc.QuotaFailure.
      // A queue's move is passing, as Redis's other passing states.
      String expected =
          switch (reason) {
            case QUOTA -> Reason.LIMIT.name();
            case MOVED -> ErrorReason.UNAVAILABLE.name();
            default -> reason.name();
          };
      assertEquals(expected, info.getReason(), "the ErrorReason of " + reason);
    }
  }

  @Test
  void everyFieldAScriptNamesInAnInvalidIsAFieldOfARequest() throws Exception {
    List<String> invalid = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (Mention mention : ScriptErrors.scan(SCRIPTS)) {
      if (mention.reason().equals(Reason.INVALID.name()) && mention.text().isPresent()) {
        String text = mention.text().get().replace(ScriptErrors.VALUE, "0");
        String field =
            detail(new ScriptRefusedException(Reason.INVALID, text), BadRequest.class)
                .getFieldViolations(0)
                .getField();
        invalid.add(field);
        if (!isRequestField(field)) {
          unknown.add(mention.where() + ": " + field);
        }
      }
    }

    assertFalse(invalid.isEmpty(), "the scan finds the INVALID errors the scripts raise");
    assertEquals(List.of(), unknown, "fields no request has");
  }

  private static <T extends Message> T detail(ScriptRefusedException refused, Class<T> type)
      throws InvalidProtocolBufferException {
    for (Any detail : StatusProto.fromThrowable(ErrorMapper.toStatus(refused)).getDetailsList()) {
      if (detail.is(type)) {
        return detail.unpack(type);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " for " + refused.reason());
  }

  /** Whether {@code path}, names and indexes joined by dots, leads into the request of some rpc. */
  private static boolean isRequestField(String path) {
    return Contract.services().stream()
        .flatMap(service -> service.getMethods().stream())
        .anyMatch(method -> leadsInto(method.getInputType(), path.split("\\.")));
  }

  private static boolean leadsInto(Descriptor request, String[] segments) {
    Descriptor message = request;
    FieldDescriptor field = null;
    for (String segment : segments) {
      if (segment.chars().allMatch(Character::isDigit)) {
        if (field == null || !field.isRepeated()) {
          return false;
        }
      } else {
        field = message == null ? null : message.findFieldByName(segment);
        if (field == null) {
          return false;
        }
        message =
            field.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
      }
    }
    return field != null;
  }
}
