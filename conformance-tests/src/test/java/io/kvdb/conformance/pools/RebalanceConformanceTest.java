package io.kvdb.conformance.pools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.client.KvdbException;
import io.kvdb.client.NewPool;
import io.kvdb.client.RebalancePlanInfo;
import io.kvdb.client.RebalancePlanInfo.Move;
import io.kvdb.client.RebalancePlanInfo.PoolLoad;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.proto.v1.ErrorReason;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kvdb.admin().pools().planRebalance(...)} over a gateway of its own whose queues all live
 * in "default" when a second pool of the same weight joins: the plan moves the queue that evens
 * them out best, and moves nothing itself.
 */
class RebalanceConformanceTest {
  private static RedisServerProcess control;
  private static RedisServerProcess second;
  private static Gateway gateway;
  private static KvdbClient kvdb;
  private static String project;

  @BeforeAll
  static void start() {
    control = RedisServerProcess.startEmbedded();
    second = RedisServerProcess.startEmbedded();
    gateway = KvdbTarget.ownGateway("--admin-api", "--redis", control.uri().toString());
    project = KvdbTarget.freshProject();
    kvdb =
        KvdbClient.create(
            KvdbClientOptions.newBuilder()
                .setTarget("127.0.0.1:" + gateway.port())
                .setProject(project)
                .build());
  }

  @AfterAll
  static void stop() {
    if (kvdb != null) {
      kvdb.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    if (second != null) {
      second.close();
    }
    if (control != null) {
      control.close();
    }
  }

  @Test
  void aNewPoolIsPlannedTheQueueThatEvensThePoolsOut() {
    kvdb.messages().post("big", "1", "2", "3", "4", "5", "6");
    kvdb.messages().post("mid", "1", "2", "3");
    kvdb.messages().post("small", "1");
    kvdb.admin().pools().create(NewPool.of("second", second.uri().toString()).withWeight(1));

    RebalancePlanInfo plan = kvdb.admin().pools().planRebalance("", 10);

    assertEquals(List.of(new Move(project, "big", "default", "second", 6)), plan.moves());
    assertEquals(
        List.of(new PoolLoad("default", 1, 10, 4), new PoolLoad("second", 1, 0, 6)), plan.pools());
    assertFalse(plan.partial());
    assertEquals(3, plan.queuesExamined());
    assertEquals("default", kvdb.queues().get("big").getPool(), "nothing moved");
  }

  @Test
  void badRequestsAreRefusedNamingTheirField() {
    var pools = kvdb.admin().pools();
    for (int bad : List.of(-1, 1001)) {
      KvdbException refused = assertThrows(KvdbException.class, () -> pools.planRebalance("", bad));
      assertEquals(Status.Code.INVALID_ARGUMENT, refused.code(), refused.getMessage());
      assertEquals("max_moves", refused.field().orElse(""), refused.getMessage());
    }
    KvdbException unknown =
        assertThrows(KvdbException.class, () -> pools.planRebalance("no-such-flavor", 1));
    assertEquals(Status.Code.NOT_FOUND, unknown.code(), unknown.getMessage());
    assertEquals(ErrorReason.NOT_FOUND, unknown.reason());
    assertTrue(unknown.getMessage().contains("flavor: no flavor is named"), unknown.getMessage());
  }
}
