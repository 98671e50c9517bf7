package io.kvdb.gateway.api;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kvdb.lua.script.NotReplicatedException;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.proto.v1.ErrorReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Turns any failure into the gRPC status of the architecture guide, with a {@code
 * google.rpc.ErrorInfo} (domain {@code kvdb}, the reason) and, for bad input, a {@code
 * google.rpc.BadRequest} naming the field, and for a quota a {@code google.rpc.QuotaFailure} (and
 * {@code google.rpc.RetryInfo} when waiting helps), so clients in any language can branch on them.
 */
public final class ErrorMapper {
  public static final String DOMAIN = "kvdb";
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  /** The Redis error codes that mean "not now", each with the passing state it reports. */
  private static final Map<String, String> NOT_NOW =
      Map.of(
          // Restarting from its AOF or RDB: it refuses every command until the data is read back.
          "LOADING", "is loading its data set",
          // A script ran past busy-reply-threshold (lua-time-limit): until it ends or is killed.
          "BUSY", "is running a script past its busy threshold",
          // A replica, as during a failover until the new master is known: it refuses writes.
          "READONLY", "is a read-only replica",
          // A replica that lost its master and does not serve stale data, until the link is back.
          "MASTERDOWN", "lost its master",
          // Fewer in-sync replicas than min-replicas-to-write, until they catch up.
          "NOREPLICAS", "has too few replicas in sync",
          // A cluster with uncovered slots or failing over, until it is whole again.
          "CLUSTERDOWN", "is in a cluster that is down",
          // A multi-key command on keys being resharded, until the slot migration ends.
          "TRYAGAIN", "is resharding these keys");

  /**
   * How Redis 6.2 reports the refusal of a command a script ran ({@code ERR Error running script
   * (call to f_...): @user_script:1: @user_script: 1: -READONLY You can't write ...}); Redis 7
   * passes the refusal through as it is.
   */
  private static final Pattern SCRIPT_WRAPPED =
      Pattern.compile("ERR Error running script .*?: -([A-Z]+) ");

  private ErrorMapper() {}

  public static StatusRuntimeException toStatus(Throwable error) {
    if (error instanceof StatusRuntimeException status) {
      return status;
    }
    if (error instanceof InvalidArgumentException invalid) {
      return invalid(invalid.field(), invalid.getMessage());
    }
    if (error instanceof QuotaExceededException quota) {
      return quotaExceeded(quota);
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
    if (error instanceof NotReplicatedException unconfirmed) {
      log.warn("a replicated write is unconfirmed: {}", unconfirmed.getMessage());
      return status(
          Code.UNAVAILABLE,
          ErrorReason.UNAVAILABLE,
          unconfirmed.getMessage()
              + "; it may or may not be kept, so retry it (a post with its idempotency key)");
    }
    if (error instanceof JedisClusterOperationException
        || error instanceof JedisRedirectionException) {
      log.warn("Redis Cluster is changing: {}", error.getMessage());
      return status(
          Code.UNAVAILABLE,
          ErrorReason.UNAVAILABLE,
          "Redis Cluster is failing over or resharding ("
              + error.getMessage()
              + "); retry shortly");
    }
    Optional<String> passing =
        error instanceof JedisDataException refused ? notNow(refused) : Optional.empty();
    if (passing.isPresent()) {
      log.warn("Redis refused for now: it {} ({})", passing.get(), error.getMessage());
      return status(
          Code.UNAVAILABLE, ErrorReason.UNAVAILABLE, "Redis " + passing.get() + "; retry shortly");
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
      case IN_USE -> status(Code.FAILED_PRECONDITION, ErrorReason.IN_USE, text);
      case QUOTA -> {
        String[] quotaAndProblem = text.split(" ", 2);
        yield quotaExceeded(
            new QuotaExceededException(
                CallContext.project(),
                quotaAndProblem[0],
                quotaAndProblem.length > 1 ? quotaAndProblem[1] : text,
                Optional.empty()));
      }
      // Left after the router's one retry: the queue is moving again; a retry finds it.
      case MOVED -> status(Code.UNAVAILABLE, ErrorReason.UNAVAILABLE, text + "; retry shortly");
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

  /**
   * A missing or bad credential. The message is fixed: it never says why, nor echoes the credential
   * (the audit log has the reason).
   */
  public static StatusRuntimeException unauthenticated() {
    return status(
        Code.UNAUTHENTICATED,
        ErrorReason.UNAUTHENTICATED,
        "this call needs a valid credential (authorization: Bearer <key or token>)");
  }

  /**
   * A credential that does not allow the call: a project it does not cover or a role it does not
   * hold. Fixed, so it never reveals whether the resource exists.
   */
  public static StatusRuntimeException permissionDenied() {
    return status(
        Code.PERMISSION_DENIED,
        ErrorReason.PERMISSION_DENIED,
        "the credential does not allow this call in this project");
  }

  /**
   * A request that is well formed but that the state of the world refuses, naming the field at
   * fault (a pool URI where no Redis answers), with a {@code google.rpc.PreconditionFailure}.
   */
  public static StatusRuntimeException failedPrecondition(
      ErrorReason reason, String field, String message) {
    PreconditionFailure failure =
        PreconditionFailure.newBuilder()
            .addViolations(
                PreconditionFailure.Violation.newBuilder()
                    .setType(reason.name())
                    .setSubject(field)
                    .setDescription(message))
            .build();
    return build(Code.FAILED_PRECONDITION, reason, message, Map.of("field", field), failure);
  }

  private static StatusRuntimeException invalid(String field, String message) {
    BadRequest badRequest =
        BadRequest.newBuilder()
            .addFieldViolations(
                BadRequest.FieldViolation.newBuilder().setField(field).setDescription(message))
            .build();
    return build(
        Code.INVALID_ARGUMENT, ErrorReason.INVALID, message, Map.of("field", field), badRequest);
  }

  private static StatusRuntimeException quotaExceeded(QuotaExceededException quota) {
    List<Message> details = new ArrayList<>();
    details.add(
        QuotaFailure.newBuilder()
            .addViolations(
                QuotaFailure.Violation.newBuilder()
                    .setSubject("project:" + quota.project())
                    .setDescription(quota.getMessage()))
            .build());
    quota
        .retryAfter()
        .ifPresent(
            wait ->
                details.add(
                    RetryInfo.newBuilder().setRetryDelay(ProtoTime.duration(wait)).build()));
    return build(
        Code.RESOURCE_EXHAUSTED,
        ErrorReason.LIMIT,
        "project " + quota.project() + " is over its quota " + quota.getMessage(),
        Map.of("quota", quota.quota()),
        details.toArray(Message[]::new));
  }

  private static StatusRuntimeException status(Code code, ErrorReason reason, String message) {
    return build(code, reason, message, Map.of());
  }

  private static StatusRuntimeException build(
      Code code,
      ErrorReason reason,
      String message,
      Map<String, String> metadata,
      Message... details) {
    ErrorInfo info =
        ErrorInfo.newBuilder()
            .setDomain(DOMAIN)
            .setReason(reason.name())
            .putAllMetadata(metadata)
            .build();
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(info));
    for (Message detail : details) {
      status.addDetails(Any.pack(detail));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /**
   * Why Redis refused for now, when its error code (the reply's first word) says the same call will
   * succeed once a passing state ends: those answer UNAVAILABLE, which clients, and the SDK for
   * idempotent calls, retry. Whole words only: {@code BUSYKEY} and {@code BUSYGROUP} are not {@code
   * BUSY}, and are no passing state.
   */
  private static Optional<String> notNow(JedisDataException error) {
    String message = error.getMessage();
    if (message == null) {
      return Optional.empty();
    }
    Matcher wrapped = SCRIPT_WRAPPED.matcher(message);
    String code = wrapped.lookingAt() ? wrapped.group(1) : message.split(" ", 2)[0];
    return Optional.ofNullable(NOT_NOW.get(code));
  }

  private static boolean isPoolExhausted(JedisException error) {
    return error.getCause() instanceof java.util.NoSuchElementException;
  }
}
