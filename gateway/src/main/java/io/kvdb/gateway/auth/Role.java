package io.kvdb.gateway.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a credential may do, checked per RPC. {@code admin} implies every other role and every
 * project; the others are independent, so a producer that must also read is granted both.
 */
public enum Role {
  /** Pools, flavors, keys and quotas, in every project. */
  ADMIN,
  /** Queue, channel, dictionary and settings changes. */
  MANAGE,
  /** Post, publish, record. */
  PRODUCE,
  /** Claim, delete, consume, subscribe, ack. */
  CONSUME,
  /** Get, list, stats, translate. */
  READ;

  /** The lower-case name keys, tokens and flags spell a role with. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role a label names; empty for anything else. */
  public static Optional<Role> ofLabel(String label) {
    for (Role role : values()) {
      if (role.label().equals(label)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
