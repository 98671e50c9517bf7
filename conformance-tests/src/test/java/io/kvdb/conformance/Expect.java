package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.kvdb.client.KvdbException;
import io.kvdb.proto.v1.ErrorReason;
import java.util.Optional;
import org.junit.jupiter.api.function.Executable;

/** Assertions on KVDB errors: status code, ErrorInfo reason and, for bad input, the field. */
public final class Expect {
  private Expect() {}

  public static KvdbException failure(Status.Code code, ErrorReason reason, Executable call) {
    KvdbException error = assertThrows(KvdbException.class, call);
    assertEquals(code, error.code(), error.getMessage());
    assertEquals(reason, error.reason(), error.getMessage());
    return error;
  }

  public static KvdbException invalid(String field, Executable call) {
    KvdbException error = failure(Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID, call);
    assertEquals(Optional.of(field), error.field(), error.getMessage());
    return error;
  }

  public static KvdbException notFound(Executable call) {
    return failure(Status.Code.NOT_FOUND, ErrorReason.NOT_FOUND, call);
  }
}
