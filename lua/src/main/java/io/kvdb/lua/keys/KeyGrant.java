package io.kvdb.lua.keys;

import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a working key may do, as keys/lookup finds it, and how long it works on from the lookup
 * (empty: no end). Roles are their lower-case labels.
 */
public record KeyGrant(
    String id,
    boolean allProjects,
    List<String> projects,
    List<String> roles,
    Optional<Duration> worksFor) {
  public KeyGrant {
    projects = List.copyOf(projects);
    roles = List.copyOf(roles);
  }

  /** Decodes the reply of keys/lookup: empty for no working key. */
  static Optional<KeyGrant> decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    if (!reply.hasNext()) {
      return Optional.empty();
    }
    return Optional.of(
        new KeyGrant(
            reply.nextString(),
            reply.nextString().equals("1"),
            ApiKeys.split(reply.nextString()),
            ApiKeys.split(reply.nextString()),
            Optional.of(reply.nextLong()).filter(millis -> millis >= 0).map(Duration::ofMillis)));
  }
}
