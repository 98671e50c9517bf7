package io.kvdb.lua.script;

/**
 * Why a script refused a call: the {@code <REASON>} of its {@code KVDB_<REASON> text} error reply.
 * The gateway maps each to a gRPC status.
 */
public enum Reason {
  /** Bad input only the script could see; the text starts with the field's name. */
  INVALID,
  NOT_FOUND,
  EXISTS,
  CLAIM_EXPIRED,
  NOT_OWNER,
  CLAIMED,
  NOT_CLAIMED,
  NOT_CLAIMED_BY,
  LIMIT,
  /** It is still used: a pool queues live in, a flavor a pool serves, the pool default. */
  IN_USE,
  /** A project's quota refused the call; the text starts with the quota's field name. */
  QUOTA,
  /** The queue is moving out of this pool: the caller routed by a stale placement. */
  MOVED,
  /** A reply this module does not understand: a bug, never a user error. */
  INTERNAL
}
