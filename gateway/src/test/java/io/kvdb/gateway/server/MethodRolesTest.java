package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.kvdb.gateway.auth.MethodRoles;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.TestRedis;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * The role table covers every method the gateway serves, the {@code --admin-api} services included,
 * and names no other.
 */
class MethodRolesTest {
  @Test
  void everyServedMethodIsClassifiedAndEveryEntryIsServed() {
    Set<String> served = new TreeSet<>();
    Set<String> services = new TreeSet<>();
    try (UnifiedJedis redis = TestRedis.shared().connect();
        Services kvdb =
            new Services(
                GatewayConfig.parse("--admin-api"),
                redis,
                ScriptRegistry.load(redis),
                new io.grpc.protobuf.services.HealthStatusManager())) {
      Stream.concat(
              kvdb.grpc().stream(), publicServices().stream().map(BindableService::bindService))
          .map(ServerServiceDefinition::getServiceDescriptor)
          .forEach(
              descriptor -> {
                services.add(descriptor.getName());
                descriptor.getMethods().stream()
                    .map(MethodDescriptor::getFullMethodName)
                    .forEach(served::add);
              });
    }

    List<String> unclassified =
        served.stream()
            .filter(method -> !MethodRoles.isPublic(method))
            .filter(method -> MethodRoles.required(method).isEmpty())
            .toList();
    assertEquals(List.of(), unclassified, "add them to MethodRoles");
    List<String> unserved =
        MethodRoles.classified().stream().filter(method -> !served.contains(method)).toList();
    assertEquals(List.of(), unserved, "entries of MethodRoles for methods nobody serves");
    assertTrue(
        services.containsAll(MethodRoles.publicServices()),
        "every public service is served: " + services);
    assertTrue(served.stream().filter(MethodRoles::isPublic).count() >= 3, served.toString());
  }

  @SuppressWarnings("deprecation")
  private static List<BindableService> publicServices() {
    return List.of(
        new HealthStatusManager().getHealthService(),
        ProtoReflectionServiceV1.newInstance(),
        io.grpc.protobuf.services.ProtoReflectionService.newInstance());
  }
}
