package io.kvdb.fault;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.kvdb.proto.v1.CreatePoolRequest;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.GetMigrationRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.MigrateQueueRequest;
import io.kvdb.proto.v1.Migration;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.Pool;
import io.kvdb.proto.v1.PoolServiceGrpc;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario 7: a queue moves from one pool to another while producers and consumers keep working on
 * two gateways, and the gateway that runs the move is SIGKILLed midway. The other gateway finishes
 * the move; no acknowledged post is lost, no message reaches a second consumer while a claim on it
 * is live, and the queue ends in the target pool alone.
 */
class MigrationKillTest {
  private static final Duration CLAIM_TTL = Duration.ofSeconds(2);

  /** Messages stored before the move, so that it takes many steps. */
  private static final int BACKLOG = 5_000;

  @Test
  void aQueueMovedUnderLoadWhileTheMigratingGatewayIsKilledLosesNothing() {
    String project = Project.fresh("migration-kill");
    try (RedisNode control = RedisNode.launch();
        RedisNode target = RedisNode.launch()) {
      // A short idempotency window: a migration ends no sooner than that after its switch.
      List<String> flags =
          List.of("--admin-api", "--catalogue-cache-ms", "300", "--idempotency-window-ms", "1000");
      // Started first, the victim takes the migrator job; the survivor waits for its lock.
      GatewayNode victim = GatewayNode.start(control.uri(), flags);
      GatewayNode survivor = GatewayNode.start(control.uri(), flags);
      try (victim;
          survivor) {
        Fleet fleet = new Fleet(List.of(victim, survivor), project);
        Channel live = fleet.channel(1);
        PoolServiceGrpc.PoolServiceBlockingStub pools =
            PoolServiceGrpc.newBlockingStub(survivor.channel());
        pools.createPool(
            CreatePoolRequest.newBuilder()
                .setPool(Pool.newBuilder().setName("second").setUri(target.uri().toString()))
                .build());
        QueueServiceGrpc.newBlockingStub(live)
            .createQueue(CreateQueueRequest.newBuilder().setName("work").build());
        fillBacklog(live);

        try (QueueLoad load = QueueLoad.start(fleet, "work", CLAIM_TTL)) {
          RedisNode.pause(Figures.LOAD.toMillis());
          long started = System.nanoTime();
          pools.migrateQueue(
              MigrateQueueRequest.newBuilder()
                  .setProject(project)
                  .setQueue("work")
                  .setTargetPool("second")
                  .build());
          Scenarios.await(
              "messages moving",
              () -> migration(pools, project).toString(),
              () -> migration(pools, project).getMessagesMoved() > 0);
          load.fault();
          victim.kill();
          Scenarios.await(
              "the migration finished on the survivor",
              () -> migration(pools, project) + Scenarios.tail(survivor.log()),
              () -> migration(pools, project).getState() == Migration.State.DONE);
          long movedMillis = (System.nanoTime() - started) / 1_000_000;
          RedisNode.pause(Figures.LOAD.toMillis());
          load.drain(CLAIM_TTL.plus(Figures.DRAIN));

          Migration done = migration(pools, project);
          String pool =
              QueueServiceGrpc.newBlockingStub(live)
                  .getQueue(GetQueueRequest.newBuilder().setName("work").build())
                  .getPool();
          List<String> lost = load.lost(live);
          List<String> unexplained = load.deliveries().unexplainedRepeats(CLAIM_TTL, Figures.SLACK);
          Figures.print(
              "migration-kill",
              "backlog="
                  + BACKLOG
                  + " moved="
                  + done.getMessagesMoved()
                  + " migration ms="
                  + movedMillis
                  + " "
                  + load.figures(Figures.SLACK)
                  + " lost="
                  + lost.size());
          assertAll(
              () -> assertFalse(victim.alive(), "the killed gateway still runs"),
              () -> assertEquals("second", pool, "the queue's pool after the move"),
              () -> assertEquals(List.of(), Scenarios.firstFew(lost), "acknowledged posts lost"),
              () ->
                  assertEquals(
                      List.of(),
                      Scenarios.firstFew(unexplained),
                      "repeats at-least-once does not allow"),
              () ->
                  assertEquals(
                      List.of(), load.outcomes().examples(), "calls answered UNKNOWN or INTERNAL"),
              () ->
                  assertTrue(
                      control.answers(
                          "EXISTS kvdb:q:{"
                              + project
                              + "/work}:ready kvdb:q:{"
                              + project
                              + "/work}:hidden",
                          ":0"),
                      "the source pool still holds the queue's messages"));
        }
      }
    }
  }

  private static Migration migration(
      PoolServiceGrpc.PoolServiceBlockingStub pools, String project) {
    return pools.getMigration(
        GetMigrationRequest.newBuilder().setProject(project).setQueue("work").build());
  }

  private static void fillBacklog(Channel channel) {
    MessageServiceGrpc.MessageServiceBlockingStub messages =
        MessageServiceGrpc.newBlockingStub(channel);
    NewMessage message =
        NewMessage.newBuilder()
            .setBody(ByteString.copyFromUtf8("backlog"))
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(600))
            .build();
    for (int posted = 0; posted < BACKLOG; posted += 500) {
      PostMessagesRequest.Builder post = PostMessagesRequest.newBuilder().setQueue("work");
      for (int i = 0; i < 500; i++) {
        post.addMessages(message);
      }
      messages.postMessages(post.build());
    }
  }
}
