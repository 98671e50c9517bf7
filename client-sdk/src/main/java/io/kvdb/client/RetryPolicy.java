package io.kvdb.client;

import com.google.protobuf.DescriptorProtos.MethodOptions.IdempotencyLevel;
import com.google.protobuf.Descriptors;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.DictionaryServiceGrpc;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.StatsServiceGrpc;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The channel's retry policy, read from the contract: a call whose rpc is marked
 * {@code NO_SIDE_EFFECTS} or {@code IDEMPOTENT} in the protos is retried on {@code UNAVAILABLE}
 * (4 attempts, backoff from 100 ms to 2 s); one marked {@code IDEMPOTENCY_UNKNOWN} (a post, a
 * pop, a claim, an acquire...) is not, since a retry could do it twice.
 */
final class RetryPolicy {
  /** Every service of the contract. */
  static final List<ServiceDescriptor> SERVICES = List.of(
      QueueServiceGrpc.getServiceDescriptor(),
      MessageServiceGrpc.getServiceDescriptor(),
      ClaimServiceGrpc.getServiceDescriptor(),
      LockServiceGrpc.getServiceDescriptor(),
      StatsServiceGrpc.getServiceDescriptor(),
      DictionaryServiceGrpc.getServiceDescriptor(),
      BrokerServiceGrpc.getServiceDescriptor());

  private static final Set<IdempotencyLevel> SAFE_TO_REPEAT =
      Set.of(IdempotencyLevel.NO_SIDE_EFFECTS, IdempotencyLevel.IDEMPOTENT);

  private RetryPolicy() {}

  /** The protobuf descriptors of {@link #SERVICES}, which carry each rpc's idempotency_level. */
  static List<Descriptors.ServiceDescriptor> protoServices() {
    return SERVICES.stream()
        .map(service -> ((ProtoServiceDescriptorSupplier) service.getSchemaDescriptor()).getServiceDescriptor())
        .toList();
  }

  /** A gRPC service config retrying {@code UNAVAILABLE} on every rpc safe to repeat. */
  static Map<String, ?> serviceConfig() {
    List<Map<String, String>> retried = protoServices().stream()
        .flatMap(service -> service.getMethods().stream())
        .filter(method -> SAFE_TO_REPEAT.contains(method.getOptions().getIdempotencyLevel()))
        .map(method -> Map.of("service", method.getService().getFullName(), "method", method.getName()))
        .toList();
    Map<String, Object> retryPolicy = Map.of(
        "maxAttempts", 4.0,
        "initialBackoff", "0.1s",
        "maxBackoff", "2s",
        "backoffMultiplier", 2.0,
        "retryableStatusCodes", List.of("UNAVAILABLE"));
    return Map.of("methodConfig", List.of(Map.of("name", retried, "retryPolicy", retryPolicy)));
  }
}
