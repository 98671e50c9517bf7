package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kvdb.lua.redis.LocalCluster;
import io.kvdb.lua.redis.LocalNode;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * On a Redis Cluster health follows the deployment: NOT_SERVING only while some slot has no primary
 * that answers (the cluster's own {@code cluster_state}), SERVING again once it has, and SERVING
 * throughout the loss of a node that serves no slot.
 */
class ClusterHealthTest {
  private static final Duration NODE_TIMEOUT = Duration.ofMillis(500);

  /** The cluster marks a silent node failed after its node timeout, then health follows. */
  private static final Duration LAG_BOUND = Duration.ofSeconds(5);

  @Test
  void aSlotWithoutAPrimaryIsNotServingUntilItsPrimaryIsBack() throws Exception {
    try (LocalCluster cluster = start(new LocalCluster.Settings(3, 0, NODE_TIMEOUT));
        Gateway gateway = Gateway.start(config(cluster));
        Health health = new Health(gateway)) {
      assertEquals(ServingStatus.SERVING, health.get());
      int primary = cluster.nodes().get(0).port();

      cluster.kill(primary);
      Eventually.within(
          LAG_BOUND,
          () -> "NOT_SERVING while a third of the slots has no primary",
          () -> health.get() == ServingStatus.NOT_SERVING);

      cluster.startAgain(primary);
      Eventually.within(
          LAG_BOUND,
          () -> "SERVING once every slot has its primary again",
          () -> health.get() == ServingStatus.SERVING);
    }
  }

  @Test
  void losingAReplicaLeavesEverySlotServed() throws Exception {
    try (LocalCluster cluster = start(new LocalCluster.Settings(3, 1, NODE_TIMEOUT));
        Gateway gateway = Gateway.start(config(cluster));
        Health health = new Health(gateway)) {
      int replica =
          cluster.nodes().stream()
              .filter(node -> node.role() == LocalNode.Role.REPLICA)
              .findFirst()
              .orElseThrow()
              .port();

      cluster.kill(replica);
      Eventually.holdsFor(
          "SERVING without a replica",
          NODE_TIMEOUT.multipliedBy(3),
          () -> health.get() == ServingStatus.SERVING);
    }
  }

  private static LocalCluster start(LocalCluster.Settings settings) {
    assumeTrue(pathHasRedis(), "needs a redis-server on the PATH");
    return LocalCluster.start(RedisServerProcess.pathBinary(), settings);
  }

  private static boolean pathHasRedis() {
    try {
      RedisServerProcess.pathBinary();
      return true;
    } catch (IllegalStateException none) {
      return false;
    }
  }

  private static GatewayConfig config(LocalCluster cluster) {
    return GatewayConfig.parse(
        "--port",
        "0",
        "--redis-timeout-ms",
        "300",
        "--health-interval-ms",
        "50",
        "--redis",
        cluster.uri().toString());
  }

  /** Asks the gateway's health service; the channel closes with the test's gateway. */
  private static final class Health implements AutoCloseable, Supplier<ServingStatus> {
    private final ManagedChannel channel;
    private final HealthGrpc.HealthBlockingStub stub;

    Health(Gateway gateway) {
      channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
      stub = HealthGrpc.newBlockingStub(channel);
    }

    @Override
    public ServingStatus get() {
      return stub.check(HealthCheckRequest.getDefaultInstance()).getStatus();
    }

    @Override
    public void close() {
      channel.shutdownNow();
    }
  }
}
