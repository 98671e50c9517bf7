package io.kvdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors;
import io.kvdb.proto.Contract;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  @Test
  void everyRpcIsClassifiedInTheContract() {
    for (Descriptors.ServiceDescriptor service : Contract.services()) {
      for (Descriptors.MethodDescriptor method : service.getMethods()) {
        assertTrue(
            method.getOptions().hasIdempotencyLevel(),
            method.getFullName() + " has no option idempotency_level");
      }
    }
  }

  @Test
  void everyServiceOfTheContractIsKnown() {
    Set<String> known =
        Contract.services().stream()
            .map(Descriptors.ServiceDescriptor::getFullName)
            .collect(Collectors.toSet());
    Set<String> declared =
        Contract.services().stream()
            .flatMap(
                service ->
                    Stream.concat(
                        Stream.of(service.getFile()), service.getFile().getDependencies().stream()))
            .flatMap(file -> file.getServices().stream())
            .map(Descriptors.ServiceDescriptor::getFullName)
            .collect(Collectors.toSet());
    assertEquals(declared, known);
  }

  @Test
  void retriesWhatIsSafeToRepeatOnly() {
    Set<String> retried = retried(true);
    // What the hand-typed list retried before the contract said it.
    for (String method :
        List.of(
            "QueueService/CreateQueue",
            "QueueService/GetQueue",
            "QueueService/ListQueues",
            "QueueService/UpdateQueue",
            "QueueService/DeleteQueue",
            "QueueService/GetQueueStats",
            "LockService/Renew",
            "LockService/GetLock",
            "LockService/ListLocks",
            "MessageService/ListMessages",
            "MessageService/GetMessages",
            "MessageService/DeleteMessages",
            "ClaimService/GetClaim",
            "ClaimService/UpdateClaim",
            "ClaimService/DeleteClaim",
            "StatsService/GetServiceStats",
            "StatsService/TopServices",
            "StatsService/ListServices",
            "StatsService/Rollup",
            "StatsService/GetSamples",
            "StatsService/ListSlowResponses",
            "MessageService/PostMessages")) {
      assertTrue(retried.contains("kvdb.v1." + method), method);
    }
    for (String method :
        List.of(
            "LockService/Acquire",
            "MessageService/PopMessages",
            "ClaimService/CreateClaim",
            "ClaimService/Consume",
            "StatsService/Record",
            "BrokerService/Publish",
            "BrokerService/Subscribe")) {
      assertFalse(retried.contains("kvdb.v1." + method), method);
    }
  }

  @Test
  void postsAreRetriedOnlyWhileTheyCarryKeys() {
    assertTrue(retried(true).contains("kvdb.v1.MessageService/PostMessages"));
    assertFalse(retried(false).contains("kvdb.v1.MessageService/PostMessages"));
    Set<String> withoutPosts = retried(true);
    withoutPosts.remove("kvdb.v1.MessageService/PostMessages");
    assertEquals(withoutPosts, retried(false));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> retried(boolean postsCarryKeys) {
    List<Map<String, ?>> configs =
        (List<Map<String, ?>>) RetryPolicy.serviceConfig(postsCarryKeys).get("methodConfig");
    return configs.stream()
        .flatMap(config -> ((List<Map<String, String>>) config.get("name")).stream())
        .map(name -> name.get("service") + "/" + name.get("method"))
        .collect(Collectors.toSet());
  }
}
