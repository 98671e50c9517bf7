package io.kvdb.client;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors;
import io.kvdb.proto.Contract;
import io.kvdb.proto.v1.MessageServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The channel's retry policy, read from the contract: a call whose rpc is marked {@code
 * NO_SIDE_EFFECTS} or {@code IDEMPOTENT} in the protos is retried on {@code UNAVAILABLE} (4
 * attempts, backoff from 100 ms to 2 s); one marked {@code IDEMPOTENCY_UNKNOWN} (a post, a pop, a
 * claim, an acquire...) is not, since a retry could do it twice. {@code PostMessages} is the
 * exception when the client sends idempotency keys.
 */
final class RetryPolicy {
  private static final Set<IdempotencyLevel> SAFE_TO_REPEAT =
      Set.of(IdempotencyLevel.NO_SIDE_EFFECTS, IdempotencyLevel.IDEMPOTENT);

  private static final String POST_MESSAGES =
      MessageServiceGrpc.getPostMessagesMethod().getFullMethodName();

  private RetryPolicy() {}

  /**
   * A gRPC service config retrying {@code UNAVAILABLE} on every rpc safe to repeat, and on {@code
   * PostMessages} when {@code postsCarryKeys}.
   */
  static Map<String, ?> serviceConfig(boolean postsCarryKeys) {
    List<Map<String, String>> retried =
        Contract.services().stream()
            .flatMap(service -> service.getMethods().stream())
            .filter(
                method ->
                    SAFE_TO_REPEAT.contains(method.getOptions().getIdempotencyLevel())
                        // MessageClient keys every post, and a retry replays the key.
                        || (postsCarryKeys && fullMethodName(method).equals(POST_MESSAGES)))
            .map(
                method ->
                    Map.of(
                        "service", method.getService().getFullName(), "method", method.getName()))
            .toList();
    Map<String, Object> retryPolicy =
        Map.of(
            "maxAttempts",
            4.0,
            "initialBackoff",
            "0.1s",
            "maxBackoff",
            "2s",
            "backoffMultiplier",
            2.0,
            "retryableStatusCodes",
            List.of("UNAVAILABLE"));
    return Map.of("methodConfig", List.of(Map.of("name", retried, "retryPolicy", retryPolicy)));
  }

  private static String fullMethodName(Descriptors.MethodDescriptor method) {
    return io.grpc.MethodDescriptor.generateFullMethodName(
        method.getService().getFullName(), method.getName());
  }
}
