package io.kvdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.kvdb.proto.v1.ErrorReason;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class KvdbExceptionTest {
  private static RuntimeException failure(String reason) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Status.Code.NOT_FOUND.value())
            .addDetails(
                Any.pack(ErrorInfo.newBuilder().setDomain("kvdb").setReason(reason).build()))
            .build());
  }

  @Test
  void theReasonIsTheEnumOrADefinedValue() {
    assertEquals(ErrorReason.NOT_FOUND, KvdbException.from(failure("NOT_FOUND")).reason());
    assertEquals(ErrorReason.UNRECOGNIZED, KvdbException.from(failure("FROM_THE_FUTURE")).reason());
    assertEquals(
        ErrorReason.ERROR_REASON_UNSPECIFIED,
        KvdbException.from(Status.UNAVAILABLE.asRuntimeException()).reason());
  }

  @Test
  void aWrappedFailureIsTheSameException() {
    KvdbException error = KvdbException.from(failure("NOT_FOUND"));
    assertSame(error, KvdbException.from(new CompletionException(error)));
  }
}
