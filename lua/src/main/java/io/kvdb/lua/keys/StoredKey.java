package io.kvdb.lua.keys;

import io.kvdb.lua.script.ScriptReply;
import java.time.Instant;
import java.util.List;

/**
 * A key as listed, never its secret: {@code expiresAt} null for never, {@code
 * previousSecretExpiresAt} null when no previous secret still works.
 */
public record StoredKey(
    String id,
    String description,
    List<String> projects,
    boolean allProjects,
    List<String> roles,
    Instant createdAt,
    Instant expiresAt,
    String certificateIdentity,
    Instant previousSecretExpiresAt) {
  public StoredKey {
    projects = List.copyOf(projects);
    roles = List.copyOf(roles);
  }

  /** Reads the key fields of lib/keys: id, description, projects, ..., previous_expire_ms. */
  static StoredKey read(ScriptReply reply) {
    return new StoredKey(
        reply.nextString(),
        reply.nextString(),
        ApiKeys.split(reply.nextString()),
        reply.nextString().equals("1"),
        ApiKeys.split(reply.nextString()),
        reply.nextInstant(),
        reply.nextInstantOrNull(),
        reply.nextString(),
        reply.nextInstantOrNull());
  }
}
