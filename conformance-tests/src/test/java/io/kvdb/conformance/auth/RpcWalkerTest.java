package io.kvdb.conformance.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ServedServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The walker itself: it finds every service and reaches every method the gateway serves. */
class RpcWalkerTest {
  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel = ManagedChannelBuilder.forTarget(KvdbTarget.address()).usePlaintext().build();
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  @Test
  void itFindsEveryServiceTheGatewayServes() throws Exception {
    Set<String> walked =
        RpcWalker.services().stream().map(ServiceDescriptor::getName).collect(Collectors.toSet());

    Set<String> served = servedKvdbServices();
    assertTrue(walked.containsAll(served), "served " + served + ", walked " + walked);
    // A floor, not the list: the walker must see the generated classes at all.
    assertTrue(walked.contains("kvdb.v1.QueueService"), walked.toString());
    assertTrue(walked.contains("kvdb.v1.KeyService"), walked.toString());
  }

  @Test
  void everyMethodOfAServedServiceIsReached() throws Exception {
    Set<String> served = servedKvdbServices();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER),
        KvdbTarget.freshProject());

    Map<String, RpcWalker.Outcome> outcomes =
        new RpcWalker(channel, Duration.ofMillis(500)).walk("walker-canary", headers);

    assertTrue(outcomes.size() >= 40, outcomes.keySet().toString());
    List<String> unreached =
        outcomes.entrySet().stream()
            .filter(outcome -> served.contains(serviceOf(outcome.getKey())))
            .filter(outcome -> outcome.getValue().status().getCode() == Status.Code.UNIMPLEMENTED)
            .map(outcome -> outcome.getKey() + ": " + outcome.getValue())
            .toList();
    assertEquals(List.of(), unreached);
  }

  @Test
  void requestsNameTheCanaryInEveryNameField() {
    var method = io.kvdb.proto.v1.ClaimServiceGrpc.getConsumeMethod();
    var request = RpcWalker.request(method, "walker-canary");

    assertTrue(request.toString().contains("queue: \"walker-canary\""), request.toString());
  }

  private static String serviceOf(String fullMethodName) {
    return fullMethodName.substring(0, fullMethodName.indexOf('/'));
  }

  private Set<String> servedKvdbServices() throws Exception {
    return ServedServices.listed(channel).stream()
        .filter(name -> name.startsWith("kvdb.v1."))
        .collect(Collectors.toSet());
  }
}
