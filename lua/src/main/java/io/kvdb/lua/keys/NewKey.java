package io.kvdb.lua.keys;

import java.time.Instant;
import java.util.List;

/**
 * A key to create: its id, its secret's SHA-256 (hex), and what it may do; {@code expiresAt} null
 * for never, {@code certificateIdentity} empty for none. Roles are their lower-case labels.
 */
public record NewKey(
    String id,
    String secretHash,
    String description,
    boolean allProjects,
    List<String> projects,
    List<String> roles,
    Instant expiresAt,
    String certificateIdentity) {
  public NewKey {
    projects = List.copyOf(projects);
    roles = List.copyOf(roles);
  }
}
