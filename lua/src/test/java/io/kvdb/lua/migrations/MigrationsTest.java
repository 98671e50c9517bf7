package io.kvdb.lua.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.migrations.MigrationRecord.State;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.redis.ChannelSubscription;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Admin;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * A migration's record and the catalogue entry it switches change together, in the states the
 * protocol allows only, and the pools count the queue while it migrates through them.
 */
@WithRedis
class MigrationsTest {
  private final String project = "migctl-" + UUID.randomUUID();
  private final QueueRef queue = new QueueRef(project, "q");
  private final String poolA = "a-" + UUID.randomUUID();
  private final String poolB = "b-" + UUID.randomUUID();
  private final UnifiedJedis admin;
  private final Migrations migrations;

  MigrationsTest(@Admin UnifiedJedis admin, ScriptRegistry scripts) {
    this.admin = admin;
    this.migrations = new Migrations(scripts);
    for (String pool : new String[] {poolA, poolB}) {
      admin.hset(Keys.pool(pool), "w", "1");
    }
    admin.hset(Keys.placements(project), queue.name(), poolA);
    admin.hset(Keys.pool(poolA), "q", "1");
  }

  private String placement() {
    return admin.hget(Keys.placements(project), queue.name());
  }

  private long count(String pool) {
    String q = admin.hget(Keys.pool(pool), "q");
    return q == null ? 0 : Long.parseLong(q);
  }

  private static Reason refusal(Runnable call) {
    return assertThrows(ScriptRefusedException.class, call::run).reason();
  }

  @Test
  void aMigrationSwitchesMovesAndEndsDone() {
    MigrationRecord started = migrations.start(queue, poolB);
    assertEquals(State.SWITCHING, started.state());
    assertEquals(poolA, started.source());
    assertEquals(poolB, started.target());
    assertNull(started.endedAt());
    assertNull(started.switchedAt());
    assertEquals(poolA, placement(), "the entry waits for the switch");
    assertNotNull(admin.zscore(Keys.MIGRATIONS, project + "/q"), "listed before the switch");
    assertEquals(Reason.IN_USE, refusal(() -> migrations.start(queue, poolB)));
    MigrationRecord.Change switched = migrations.switchOver(queue);
    assertTrue(switched.applied());
    assertNotNull(switched.record().switchedAt());
    assertEquals(
        switched.record().switchedAt(), migrations.switchOver(queue).record().switchedAt());
    assertEquals(poolB + " " + poolA, placement());
    assertEquals(1, count(poolA));
    assertEquals(1, count(poolB), "counted in both while migrating");
    assertNotNull(admin.zscore(Keys.MIGRATIONS, project + "/q"));
    assertEquals(Reason.IN_USE, refusal(() -> migrations.start(queue, poolA)));

    MigrationRecord.Change moving = migrations.progress(queue, State.MOVING, 10, 5, 2);
    assertTrue(moving.applied());
    migrations.progress(queue, State.MOVING, 5, 0, 2);
    MigrationRecord record = migrations.get(queue);
    assertEquals(State.MOVING, record.state());
    assertEquals(15, record.moved());
    assertEquals(0, record.left());
    assertEquals(2, record.claimed());
    assertFalse(migrations.progress(queue, State.CANCELLING, 1, 0, 0).applied());

    MigrationRecord.Change done = migrations.end(queue, State.DONE, poolA, poolB);
    assertTrue(done.applied());
    assertEquals(State.DONE, done.record().state());
    assertNotNull(done.record().endedAt());
    assertEquals(poolB, placement());
    assertEquals(0, count(poolA));
    assertEquals(1, count(poolB));
    assertNull(admin.zscore(Keys.MIGRATIONS, project + "/q"));
    long kept = admin.pttl(Keys.migration(queue));
    assertTrue(kept > 86_000_000 && kept <= 86_400_000, "kept a day: " + kept);

    assertTrue(migrations.end(queue, State.DONE, poolA, poolB).applied(), "idempotent");
    assertEquals(0, count(poolA), "counted off once");
    assertFalse(migrations.cancel(queue).applied(), "a migration that ended cannot be cancelled");
    assertFalse(migrations.progress(queue, State.MOVING, 1, 0, 0).applied());
    migrations.switchOver(queue);
    assertEquals(poolB, placement(), "a replayed switch leaves an ended migration's entry");

    MigrationRecord again = migrations.start(queue, poolA);
    assertEquals(poolB, again.source(), "a new migration replaces the ended record");
    assertEquals(0, again.moved());
    assertEquals(-1, admin.pttl(Keys.migration(queue)));
  }

  @Test
  void aCancelledMigrationGoesBackToItsSource() {
    migrations.start(queue, poolB);
    Instant switched = migrations.switchOver(queue).record().switchedAt();
    MigrationRecord.Change cancelled = migrations.cancel(queue);
    assertTrue(cancelled.applied());
    assertEquals(State.CANCELLING, cancelled.record().state());
    assertFalse(
        cancelled.record().switchedAt().isBefore(switched),
        "posts switched back at the cancel, which the record tells");
    assertEquals(poolA + " " + poolB, placement());
    assertTrue(migrations.cancel(queue).applied(), "idempotent");
    assertEquals(Reason.IN_USE, refusal(() -> migrations.start(queue, poolB)));

    MigrationRecord.Change stale = migrations.progress(queue, State.MOVING, 1, 0, 0);
    assertFalse(stale.applied(), "a migrator that missed the cancel learns of it");
    assertEquals(State.CANCELLING, stale.record().state());
    assertFalse(migrations.end(queue, State.DONE, poolA, poolB).applied(), "never done now");
    assertTrue(migrations.progress(queue, State.CANCELLING, 3, 0, 0).applied());

    assertTrue(migrations.end(queue, State.CANCELLED, poolA, poolB).applied());
    assertEquals(poolA, placement());
    assertEquals(1, count(poolA));
    assertEquals(0, count(poolB));
    assertEquals(State.CANCELLED, migrations.get(queue).state());
    assertEquals(3, migrations.get(queue).moved());
  }

  @Test
  void aMigrationCancelledBeforeItsSwitchIsNeverSwitched() {
    migrations.start(queue, poolB);
    assertTrue(migrations.cancel(queue).applied());
    assertFalse(migrations.switchOver(queue).applied());
    assertEquals(poolA + " " + poolB, placement(), "the cancel's entry stays");
  }

  @Test
  void everyChangeOfPlacementIsAnnounced(UnifiedJedis redis) throws InterruptedException {
    List<String> heard = new CopyOnWriteArrayList<>();
    CountDownLatch subscribed = new CountDownLatch(1);
    try (ChannelSubscription subscription =
        ChannelSubscription.start(
            redis,
            Keys.PLACEMENT_CHANNEL,
            new ChannelSubscription.Listener() {
              @Override
              public void onSubscribed() {
                subscribed.countDown();
              }

              @Override
              public void onMessage(String message) {
                if (message.equals(project + "/q")) {
                  heard.add(message);
                }
              }
            })) {
      assertTrue(subscribed.await(10, TimeUnit.SECONDS));
      migrations.start(queue, poolB);
      migrations.switchOver(queue);
      migrations.progress(queue, State.MOVING, 1, 0, 0);
      migrations.cancel(queue);
      migrations.end(queue, State.CANCELLED, poolA, poolB);
      Eventually.await("switch, cancel and end announced: " + heard, () -> heard.size() == 3);
    }
  }

  @Test
  void startRefusesATargetThatIsWhereTheQueueLivesOrNoPool() {
    assertEquals(Reason.INVALID, refusal(() -> migrations.start(queue, poolA)));
    assertEquals(Reason.NOT_FOUND, refusal(() -> migrations.start(queue, "nowhere")));
    QueueRef unplaced = new QueueRef(project, "unplaced");
    assertEquals("default", migrations.start(unplaced, poolB).source(), "no entry: default");
    assertEquals(Reason.NOT_FOUND, refusal(() -> migrations.get(new QueueRef(project, "x"))));
    assertEquals(Reason.NOT_FOUND, refusal(() -> migrations.cancel(new QueueRef(project, "x"))));
    assertThrows(
        IllegalArgumentException.class,
        () -> migrations.end(queue, State.MOVING, poolA, poolB),
        "only DONE or CANCELLED end a migration");
  }
}
