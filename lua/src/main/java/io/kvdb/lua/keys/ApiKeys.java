package io.kvdb.lua.keys;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * API keys over the {@code keys/*} scripts, one round trip each. Only SHA-256 hashes of secrets are
 * passed, and every time comes from the Redis clock (creation, expiry, rotation overlaps).
 */
public final class ApiKeys {
  /** The most certificate identities one lookup tries (keys/lookup refuses more). */
  public static final int MAX_IDENTITIES = 32;

  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;

  public ApiKeys(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
  }

  /** Stores the key; {@code EXISTS} when its identity is bound to another key. */
  public StoredKey create(NewKey key) {
    List<byte[]> args =
        List.of(
            bytes(key.id()),
            bytes(key.secretHash()),
            bytes(key.description()),
            bytes(key.allProjects() ? "1" : "0"),
            bytes(String.join(",", key.projects())),
            bytes(String.join(",", key.roles())),
            bytes(key.expiresAt() == null ? "" : Long.toString(key.expiresAt().toEpochMilli())),
            bytes(key.certificateIdentity()));
    return StoredKey.read(
        ScriptReply.of(scripts.call(Script.KEYS_CREATE, recordKeys(key.id()), args)));
  }

  /** Deletes the key and everything that stands for it; {@code NOT_FOUND} when there is none. */
  public void revoke(String id) {
    scripts.call(Script.KEYS_REVOKE, recordKeys(id), List.of(bytes(id)));
  }

  /** Gives the key the new secret; the current one works for {@code overlap} more. */
  public StoredKey rotate(String id, String newSecretHash, Duration overlap) {
    List<byte[]> keys = List.of(bytes(Keys.API_KEY_HASHES), bytes(Keys.apiKey(id)));
    List<byte[]> args =
        List.of(bytes(id), bytes(newSecretHash), bytes(Long.toString(overlap.toMillis())));
    return StoredKey.read(ScriptReply.of(scripts.call(Script.KEYS_ROTATE, keys, args)));
  }

  /** Up to {@code limit} keys after {@code after} (null: from the first) in id order. */
  public KeyPage list(String after, int limit) {
    List<byte[]> keys = List.of(bytes(Keys.API_KEY_IDS), bytes(Keys.API_KEY_PREFIX));
    List<byte[]> args = List.of(bytes(after == null ? "" : after), bytes(Integer.toString(limit)));
    return KeyPage.decode(scripts.call(Script.KEYS_LIST, keys, args));
  }

  /** The working key whose secret has this SHA-256 (hex). */
  public Optional<KeyGrant> bySecret(String secretHash) {
    return lookup("secret", List.of(secretHash));
  }

  /** The working key bound to the first of these identities that has one. */
  public Optional<KeyGrant> byIdentity(List<String> identities) {
    return identities.isEmpty()
        ? Optional.empty()
        : lookup("identity", identities.subList(0, Math.min(identities.size(), MAX_IDENTITIES)));
  }

  /** Whether any key exists at all. */
  public boolean any() {
    return redis.exists(Keys.API_KEY_IDS);
  }

  private Optional<KeyGrant> lookup(String kind, List<String> candidates) {
    List<byte[]> keys =
        List.of(
            bytes(Keys.API_KEY_HASHES), bytes(Keys.API_KEY_IDENTITIES), bytes(Keys.API_KEY_PREFIX));
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(kind));
    candidates.forEach(candidate -> args.add(bytes(candidate)));
    return KeyGrant.decode(scripts.call(Script.KEYS_LOOKUP, keys, args));
  }

  private static List<byte[]> recordKeys(String id) {
    return List.of(
        bytes(Keys.API_KEY_IDS),
        bytes(Keys.API_KEY_HASHES),
        bytes(Keys.API_KEY_IDENTITIES),
        bytes(Keys.apiKey(id)));
  }

  /** A comma-separated list as the scripts store it; empty for ''. */
  static List<String> split(String joined) {
    return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
  }
}
