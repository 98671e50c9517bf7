package io.kvdb.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.proto.v1.Key;
import io.kvdb.proto.v1.Migration;
import io.kvdb.proto.v1.Quota;
import io.kvdb.proto.v1.QuotaUsage;
import io.kvdb.proto.v1.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdminValuesTest {
  @Test
  void aNewPoolTakesNoQueuesUntilWeightedAndHidesItsUri() {
    NewPool pool = NewPool.of("eu-2", "redis://:pw@eu-2:6379");

    assertEquals(0, pool.weight());
    assertEquals("", pool.flavor());
    NewPool weighted = pool.withWeight(100).withFlavor("fast").withOptions(Map.of("a", 1L));
    assertEquals(100, weighted.weight());
    assertEquals("fast", weighted.flavor());
    assertEquals(Map.of("a", 1L), weighted.options());
    assertFalse(weighted.toString().contains("pw"), weighted.toString());
  }

  @Test
  void aPoolChangeSetsOnlyWhatItNames() {
    PoolChange change = PoolChange.weight(0).andFlavor("");

    assertEquals(Optional.of(0), change.weight());
    assertEquals(Optional.of(""), change.flavor());
    assertEquals(Optional.empty(), change.options());
    assertThrows(NullPointerException.class, () -> PoolChange.flavor(null));
  }

  @Test
  void aMigrationMirrorsTheProtoAndEndsOnlyWhenDoneOrCancelled() {
    Instant start = Instant.parse("2030-01-01T00:00:00Z");
    Migration running =
        Migration.newBuilder()
            .setProject("billing")
            .setQueue("invoices")
            .setSourcePool("default")
            .setTargetPool("eu-2")
            .setState(Migration.State.MOVING)
            .setMessagesMoved(3)
            .setMessagesLeft(2)
            .setClaimedLeft(1)
            .setStartTime(ProtoTimes.of(start))
            .setUpdateTime(ProtoTimes.of(start.plusSeconds(1)))
            .build();

    MigrationInfo info = MigrationInfo.of(running);

    assertEquals(
        new MigrationInfo(
            "billing",
            "invoices",
            "default",
            "eu-2",
            Migration.State.MOVING,
            3,
            2,
            1,
            start,
            start.plusSeconds(1),
            Optional.empty()),
        info);
    assertFalse(info.ended());
    for (Migration.State state : List.of(Migration.State.DONE, Migration.State.CANCELLED)) {
      MigrationInfo ended =
          MigrationInfo.of(
              running.toBuilder()
                  .setState(state)
                  .setEndTime(ProtoTimes.of(start.plusSeconds(2)))
                  .build());
      assertTrue(ended.ended(), state.toString());
      assertEquals(Optional.of(start.plusSeconds(2)), ended.endTime());
    }
    assertFalse(
        MigrationInfo.of(running.toBuilder().setState(Migration.State.CANCELLING).build()).ended());
  }

  @Test
  void keyOptionsKeepEveryValueThroughToBuilder() {
    Instant expiry = Instant.parse("2030-01-01T00:00:00Z");
    KeyOptions options =
        KeyOptions.newBuilder()
            .setDescription("billing workers")
            .setProjects(List.of("billing"))
            .setRoles(Role.ROLE_READ, Role.ROLE_PRODUCE, Role.ROLE_READ)
            .setExpireTime(expiry)
            .setCertificateIdentity("CN=billing")
            .build();

    KeyOptions copy = options.toBuilder().build();

    assertEquals("billing workers", copy.description());
    assertEquals(List.of("billing"), copy.projects());
    assertFalse(copy.allProjects());
    assertEquals(Set.of(Role.ROLE_PRODUCE, Role.ROLE_READ), copy.roles());
    assertEquals(Optional.of(expiry), copy.expireTime());
    assertEquals("CN=billing", copy.certificateIdentity());
  }

  @Test
  void keyOptionsRefuseAKeyWithoutADefinedRole() {
    assertThrows(IllegalStateException.class, () -> KeyOptions.newBuilder().build());
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyOptions.newBuilder().setRoles(Role.ROLE_UNSPECIFIED));
    assertThrows(
        IllegalArgumentException.class,
        () -> KeyOptions.newBuilder().setDescription("d".repeat(257)));
  }

  @Test
  void anIssuedKeyDoesNotShowItsSecret() {
    IssuedKey issued =
        new IssuedKey(Key.newBuilder().setId("0123456789abcdef").build(), "s3cret-value");

    assertEquals("IssuedKey[id=0123456789abcdef, secret=<redacted>]", issued.toString());
  }

  @Test
  void quotaValuesMirrorTheProto() {
    QuotaLimits limits =
        QuotaLimits.newBuilder()
            .setMaxQueues(1)
            .setMaxMessages(2)
            .setMaxBytes(3)
            .setMaxChannels(4)
            .setRequestsPerSecond(5)
            .setBurst(6)
            .build();

    assertEquals(limits, QuotaLimits.of(limits.toProto()));
    assertEquals(limits, limits.toBuilder().build());
    assertEquals(QuotaLimits.NONE, QuotaLimits.of(Quota.getDefaultInstance()));
    assertEquals(
        "maxQueues must not be negative, was -1",
        assertThrows(
                IllegalArgumentException.class, () -> QuotaLimits.newBuilder().setMaxQueues(-1))
            .getMessage());
    assertEquals(
        Optional.empty(),
        ProjectUsage.of(QuotaUsage.newBuilder().setQueues(2).build()).measuredAt());
    assertTrue(
        ProjectUsage.of(QuotaUsage.newBuilder().setMeasuredAt(ProtoTimes.of(Instant.EPOCH)).build())
            .measuredAt()
            .isPresent());
  }
}
