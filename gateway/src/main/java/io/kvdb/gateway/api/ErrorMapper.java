package io.kvdb.gateway.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.proto.v1.ErrorReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Turns any failure into the gRPC status of the architecture guide, with a {@code
 * google.rpc.ErrorInfo} (domain {@code kvdb}, the reason) and, for bad input, a {@code
 * google.rpc.BadRequest} naming the field, so clients in any language can branch on them.
 */
public final class ErrorMapper {
  public static final String DOMAIN = "kvdb";
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  private ErrorMapper() {}

  public static StatusRuntimeException toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof InvalidArgumentException invalid) {
      return invalid(invalid.field(), invalid.getMessage());
    }
    if (error instanceof ScriptRefusedException refused) {
      return fromScript(refused);
    }
    if (error instanceof JedisConnectionException unreachable) {
      log.warn("Redis unreachable: {}", unreachable.getMessage());
      return status(
          Code.UNAVAILABLE,
          ErrorReason.UNAVAILABLE,
          "Redis is unavailable: " + unreachable.getMessage());
    }
    if (error instanceof JedisDataException refused && isLoading(refused)) {
      log.warn("Redis is loading its data set: {}", refused.getMessage());
      return status(
          Code.UNAVAILABLE,
          ErrorReason.UNAVAILABLE,
          "Redis is loading its data set; retry shortly");
    }
    if (error instanceof JedisException redis && isPoolExhausted(redis)) {
      return status(Code.UNAVAILABLE, ErrorReason.UNAVAILABLE, "no Redis connection free in time");
    }
    log.error("unexpected failure", error);
    return status(Code.INTERNAL, ErrorReason.INTERNAL, "internal error: " + error);
  }

  private static StatusRuntimeException fromScript(ScriptRefusedException refused) {
    String text = refused.getMessage();
    return switch (refused.reason()) {
      case INVALID -> invalid(text.split(" ", 2)[0], text);
      case NOT_FOUND -> status(Code.NOT_FOUND, ErrorReason.NOT_FOUND, text);
      case EXISTS -> status(Code.ALREADY_EXISTS, ErrorReason.EXISTS, text);
      case CLAIM_EXPIRED -> status(Code.FAILED_PRECONDITION, ErrorReason.CLAIM_EXPIRED, text);
      case NOT_OWNER -> status(Code.FAILED_PRECONDITION, ErrorReason.NOT_OWNER, text);
      case CLAIMED -> status(Code.FAILED_PRECONDITION, ErrorReason.CLAIMED, text);
      case NOT_CLAIMED -> status(Code.FAILED_PRECONDITION, ErrorReason.NOT_CLAIMED, text);
      case NOT_CLAIMED_BY -> status(Code.FAILED_PRECONDITION, ErrorReason.NOT_CLAIMED_BY, text);
      case LIMIT -> status(Code.RESOURCE_EXHAUSTED, ErrorReason.LIMIT, text);
      case INTERNAL -> {
        log.error("script failure: {}", text);
        yield status(Code.INTERNAL, ErrorReason.INTERNAL, text);
      }
    };
  }

  /** A broadcast subscriber missed messages retention trimmed: where to resume to get the rest. */
  public static StatusRuntimeException fellBehind(String channel, String resumeAfter) {
    ErrorInfo info =
        ErrorInfo.newBuilder()
            .setDomain(DOMAIN)
            .setReason(ErrorReason.FELL_BEHIND.name())
            .putMetadata("channel", channel)
            .putMetadata("resume_after", resumeAfter)
            .build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.OUT_OF_RANGE.getNumber())
            .setMessage(
                "messages of channel "
                    + channel
                    + " up to id "
                    + resumeAfter
                    + " were trimmed by retention before this subscriber got them; resume after "
                    + resumeAfter
                    + " to get everything still kept")
            .addDetails(Any.pack(info))
            .build());
  }

  private static StatusRuntimeException invalid(String field, String message) {
    BadRequest badRequest =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(field).setDescription(message))
            .build();
    return build(Code.INVALID_ARGUMENT, ErrorReason.INVALID, message, field, badRequest);
  }

  private static StatusRuntimeException status(Code code, ErrorReason reason, String message) {
    return build(code, reason, message, null, null);
  }

  private static StatusRuntimeException build(
      Code code, ErrorReason reason, String message, String field, BadRequest badRequest) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setDomain(DOMAIN).setReason(reason.name());
    if (field != null) {
      info.putMetadata("field", field);
    }
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(info.build()));
    if (badRequest != null) {
      status.addDetails(Any.pack(badRequest));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** A Redis restarting from its AOF or RDB answers LOADING until it has read the data back. */
  private static boolean isLoading(JedisDataException error) {
    return error.getMessage() != null && error.getMessage().startsWith("LOADING");
  }

  private static boolean isPoolExhausted(JedisException error) {
    return error.getCause() instanceof java.util.NoSuchElementException;
  }
}
