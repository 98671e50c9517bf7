package io.kvdb.client;

import io.kvdb.proto.v1.Migration;
import java.time.Instant;
import java.util.Optional;

/**
 * A queue's migration between pools: its state, the messages moved so far (both ways once
 * cancelled) and those left at the last step (free and delayed ones, and claimed ones that move
 * when their claims end), and when it started, last stepped and ended (empty while it runs).
 */
public record MigrationInfo(
    String project,
    String queue,
    String sourcePool,
    String targetPool,
    Migration.State state,
    long messagesMoved,
    long messagesLeft,
    long claimedLeft,
    Instant startTime,
    Instant updateTime,
    Optional<Instant> endTime) {

  /** Whether it ended, {@code DONE} or {@code CANCELLED}: nothing moves any more. */
  public boolean ended() {
    return state == Migration.State.DONE || state == Migration.State.CANCELLED;
  }

  static MigrationInfo of(Migration migration) {
    return new MigrationInfo(
        migration.getProject(),
        migration.getQueue(),
        migration.getSourcePool(),
        migration.getTargetPool(),
        migration.getState(),
        migration.getMessagesMoved(),
        migration.getMessagesLeft(),
        migration.getClaimedLeft(),
        ProtoTimes.instant(migration.getStartTime()),
        ProtoTimes.instant(migration.getUpdateTime()),
        migration.hasEndTime()
            ? Optional.of(ProtoTimes.instant(migration.getEndTime()))
            : Optional.empty());
  }
}
