package io.kvdb.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kvdb.proto.v1.ErrorReason;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failed KVDB call: the gRPC status code, the KVDB reason from the status's {@code
 * google.rpc.ErrorInfo}, for bad input the field the gateway named, for a quota its name, and when
 * waiting helps how long. Every SDK call throws it (and every async twin completes exceptionally
 * with it).
 *
 * <pre>{@code
 * try {
 *   kvdb.queues().get("invoices");
 * } catch (KvdbException error) {
 *   if (error.reason() == ErrorReason.NOT_FOUND) {
 *     kvdb.queues().create("invoices");
 *   }
 * }
 * }</pre>
 */
public final class KvdbException extends RuntimeException {
  private final Status.Code code;
  private final ErrorReason reason;
  private final String field;
  private final String quota;
  private final Duration retryDelay;

  private KvdbException(
      Status.Code code,
      ErrorReason reason,
      String field,
      String quota,
      Duration retryDelay,
      String message,
      Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
    this.field = field;
    this.quota = quota;
    this.retryDelay = retryDelay;
  }

  /**
   * The KVDB failure a throwable stands for: itself if it is one, the failure it wraps for a {@code
   * CompletionException} or {@code ExecutionException}, or else the status, reason and field of a
   * gRPC failure (as thrown by the generated stubs on {@link KvdbClient#channel()}).
   */
  public static KvdbException from(Throwable error) {
    if (error instanceof KvdbException known) {
      return known;
    }
    if ((error instanceof CompletionException || error instanceof ExecutionException)
        && error.getCause() != null) {
      return from(error.getCause());
    }
    Status status = Status.fromThrowable(error);
    ErrorReason reason = ErrorReason.ERROR_REASON_UNSPECIFIED;
    String field = null;
    String quota = null;
    Duration retryDelay = null;
    com.google.rpc.Status details =
        error instanceof StatusRuntimeException ? StatusProto.fromThrowable(error) : null;
    if (details != null) {
      for (com.google.protobuf.Any detail : details.getDetailsList()) {
        try {
          if (detail.is(ErrorInfo.class)) {
            ErrorInfo info = detail.unpack(ErrorInfo.class);
            reason = reasonNamed(info.getReason());
            quota = info.getMetadataOrDefault("quota", null);
            // A precondition about a field (a pool URI nothing answers at) names it here only.
            field = field == null ? info.getMetadataOrDefault("field", null) : field;
          } else if (detail.is(RetryInfo.class)) {
            com.google.protobuf.Duration delay = detail.unpack(RetryInfo.class).getRetryDelay();
            retryDelay = Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
          } else if (detail.is(BadRequest.class)) {
            BadRequest badRequest = detail.unpack(BadRequest.class);
            field =
                badRequest.getFieldViolationsCount() > 0
                    ? badRequest.getFieldViolations(0).getField()
                    : null;
          }
        } catch (InvalidProtocolBufferException unreadable) {
          // A detail this client cannot read adds nothing; the status still says what happened.
        }
      }
    }
    String message =
        status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
    return new KvdbException(status.getCode(), reason, field, quota, retryDelay, message, error);
  }

  /** A reason newer than this client is {@code UNRECOGNIZED}. */
  private static ErrorReason reasonNamed(String name) {
    try {
      return ErrorReason.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      return ErrorReason.UNRECOGNIZED;
    }
  }

  /** The gRPC status code, e.g. {@code NOT_FOUND}. */
  public Status.Code code() {
    return code;
  }

  /**
   * The KVDB reason, e.g. {@link ErrorReason#NOT_FOUND} or {@link ErrorReason#INVALID}: {@link
   * ErrorReason#ERROR_REASON_UNSPECIFIED} when the status carries none (the failure never reached a
   * gateway, or came from gRPC itself), {@link ErrorReason#UNRECOGNIZED} when it names one this
   * client does not know.
   */
  public ErrorReason reason() {
    return reason;
  }

  /**
   * For {@code INVALID_ARGUMENT}: the request field (or header) the gateway refused; for a {@code
   * FAILED_PRECONDITION} about a field (such as {@code pool.uri}), that field.
   */
  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  /**
   * For {@code RESOURCE_EXHAUSTED} with reason {@link ErrorReason#LIMIT}: the project quota the
   * call would exceed, as its field in {@code kvdb.v1.Quota} (e.g. {@code max_queues}).
   */
  public Optional<String> quota() {
    return Optional.ofNullable(quota);
  }

  /** How long to wait before a retry may pass, when the gateway said (its RetryInfo). */
  public Optional<Duration> retryDelay() {
    return Optional.ofNullable(retryDelay);
  }
}
