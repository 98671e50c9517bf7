package io.kvdb.lua.migrations;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.List;

/**
 * A message on its way between pools, every field its hash holds, so the target stores it exactly
 * as the source had it: rank, ttl (ms), expiry, creation, creator, visible time (null unless posted
 * with a delay), body, msgpack attributes (empty for none), the fields of its last claim ({@code
 * ""} and null when never claimed; a lapsed claim stays on record), how often it was claimed, and
 * its dead-letter moves so far.
 */
public record TransitMessage(
    String id,
    long rank,
    long ttlMs,
    Instant expiresAt,
    Instant createdAt,
    String clientId,
    Instant visibleAt,
    byte[] body,
    byte[] attributes,
    String claimId,
    Instant claimExpiresAt,
    int claimCount,
    int deadLetterMoves) {
  /** The values per message in migrations/take's reply and migrations/put's arguments. */
  static final int FIELDS = 13;

  /** Reads one message in the order of TRANSIT_FIELDS (lib/moving), after its id. */
  static TransitMessage read(ScriptReply reply) {
    String id = reply.nextString();
    long rank = reply.nextLong();
    long ttlMs = reply.nextLong();
    Instant expiresAt = reply.nextInstant();
    Instant createdAt = reply.nextInstant();
    String clientId = reply.nextString();
    Instant visibleAt = reply.nextInstantOrNull();
    byte[] body = reply.nextBytes();
    byte[] attributes = reply.nextBytes();
    String claimId = reply.nextString();
    Instant claimExpiresAt = reply.nextInstantOrNull();
    String claimCount = reply.nextString();
    String moves = reply.nextString();
    return new TransitMessage(
        id,
        rank,
        ttlMs,
        expiresAt,
        createdAt,
        clientId,
        visibleAt,
        body,
        attributes,
        claimId,
        claimExpiresAt,
        claimCount.isEmpty() ? 0 : Integer.parseInt(claimCount),
        moves.isEmpty() ? 0 : Integer.parseInt(moves));
  }

  /** Appends the message as migrations/put reads it; a value that stands for none is ''. */
  void addTo(List<byte[]> args) {
    args.add(bytes(id));
    args.add(number(rank));
    args.add(number(ttlMs));
    args.add(number(expiresAt.toEpochMilli()));
    args.add(number(createdAt.toEpochMilli()));
    args.add(bytes(clientId));
    args.add(visibleAt == null ? NONE : number(visibleAt.toEpochMilli()));
    args.add(body);
    args.add(attributes);
    args.add(bytes(claimId));
    args.add(claimExpiresAt == null ? NONE : number(claimExpiresAt.toEpochMilli()));
    args.add(claimCount == 0 ? NONE : number(claimCount));
    args.add(deadLetterMoves == 0 ? NONE : number(deadLetterMoves));
  }

  private static final byte[] NONE = new byte[0];

  private static byte[] number(long value) {
    return bytes(Long.toString(value));
  }
}
