package io.kvdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.kvdb.proto.v1.ErrorReason;
import java.time.Duration;
import java.util.Optional;
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

  @Test
  void aQuotaFailureNamesItsQuotaAndHowLongToWait() {
    RuntimeException overRate =
        StatusProto.toStatusRuntimeException(
            com.google.rpc.Status.newBuilder()
                .setCode(Status.Code.RESOURCE_EXHAUSTED.value())
                .addDetails(
                    Any.pack(
                        ErrorInfo.newBuilder()
                            .setDomain("kvdb")
                            .setReason("LIMIT")
                            .putMetadata("quota", "requests_per_second")
                            .build()))
                .addDetails(
                    Any.pack(
                        QuotaFailure.newBuilder()
                            .addViolations(
                                QuotaFailure.Violation.newBuilder().setSubject("project:p"))
                            .build()))
                .addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(
                                com.google.protobuf.Duration.newBuilder()
                                    .setSeconds(1)
                                    .setNanos(250_000_000))
                            .build()))
                .build());

    KvdbException error = KvdbException.from(overRate);

    assertEquals(ErrorReason.LIMIT, error.reason());
    assertEquals(Optional.of("requests_per_second"), error.quota());
    assertEquals(Optional.of(Duration.ofMillis(1250)), error.retryDelay());
    KvdbException plain = KvdbException.from(failure("NOT_FOUND"));
    assertEquals(Optional.empty(), plain.quota());
    assertEquals(Optional.empty(), plain.retryDelay());
  }
}
