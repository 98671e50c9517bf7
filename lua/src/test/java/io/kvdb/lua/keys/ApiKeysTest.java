package io.kvdb.lua.keys;

import static io.kvdb.lua.Keys.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.WithRedis;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import redis.clients.jedis.UnifiedJedis;

/** The key scripts, called directly: secrets stand for keys only while they work. */
@WithRedis
class ApiKeysTest {
  private static final SecureRandom random = new SecureRandom();
  private final ScriptRegistry scripts;
  private final ApiKeys keys;

  ApiKeysTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.scripts = scripts;
    this.keys = new ApiKeys(redis, scripts);
  }

  @Test
  void aCreatedKeyIsFoundByItsSecretHashWithItsGrant() {
    String hash = hash();
    StoredKey created = keys.create(key(hash, null, ""));

    assertEquals(List.of("billing", "ops"), created.projects());
    assertEquals(List.of("read", "produce"), created.roles());
    assertNull(created.expiresAt());
    assertNull(created.previousSecretExpiresAt());
    KeyGrant grant = keys.bySecret(hash).orElseThrow();
    assertEquals(created.id(), grant.id());
    assertEquals(List.of("billing", "ops"), grant.projects());
    assertEquals(List.of("read", "produce"), grant.roles());
    assertEquals(Optional.empty(), keys.bySecret(hash()), "an unknown secret");
    assertTrue(keys.any());
  }

  @Test
  void aRevokedKeyStopsWorkingAndIsGoneFromTheList() {
    String hash = hash();
    String identity = "URI:spiffe://test/" + UUID.randomUUID();
    StoredKey created = keys.create(key(hash, null, identity));

    keys.revoke(created.id());

    assertEquals(Optional.empty(), keys.bySecret(hash));
    assertEquals(Optional.empty(), keys.byIdentity(List.of(identity)));
    assertRefused(Reason.NOT_FOUND, () -> keys.revoke(created.id()));
    assertTrue(listAll().stream().noneMatch(key -> key.id().equals(created.id())));
  }

  @Test
  void aRotatedKeyKeepsItsPreviousSecretForTheOverlapOnly() {
    String first = hash();
    String second = hash();
    StoredKey created = keys.create(key(first, null, ""));

    StoredKey rotated = keys.rotate(created.id(), second, Duration.ofMillis(300));

    assertTrue(rotated.previousSecretExpiresAt() != null);
    assertEquals(created.id(), keys.bySecret(first).orElseThrow().id(), "within the overlap");
    assertEquals(created.id(), keys.bySecret(second).orElseThrow().id());
    Eventually.await("the overlap ends", () -> keys.bySecret(first).isEmpty());
    assertEquals(created.id(), keys.bySecret(second).orElseThrow().id());

    String third = hash();
    keys.rotate(created.id(), third, Duration.ZERO);
    assertEquals(Optional.empty(), keys.bySecret(second), "no overlap: stops at once");
    assertEquals(created.id(), keys.bySecret(third).orElseThrow().id());
  }

  @Test
  void aSecondRotationEndsTheFirstOverlapAtOnce() {
    String first = hash();
    StoredKey created = keys.create(key(first, null, ""));
    keys.rotate(created.id(), hash(), Duration.ofDays(1));

    keys.rotate(created.id(), hash(), Duration.ofDays(1));

    assertEquals(Optional.empty(), keys.bySecret(first), "at most two secrets work");
  }

  @Test
  void anExpiredKeyStopsWorking() {
    String hash = hash();
    Instant soon = Instant.now().plusMillis(300);
    keys.create(key(hash, soon, ""));

    assertTrue(keys.bySecret(hash).isPresent());
    Eventually.await("the key expires", () -> keys.bySecret(hash).isEmpty());
    assertRefused(
        Reason.INVALID, () -> keys.create(key(hash(), Instant.now().minusSeconds(1), "")));
  }

  @Test
  void anIdentityStandsForOneKeyOnly() {
    String identity = "CN=worker-" + UUID.randomUUID();
    StoredKey bound = keys.create(key(hash(), null, identity));

    assertRefused(Reason.EXISTS, () -> keys.create(key(hash(), null, identity)));
    assertEquals(
        bound.id(),
        keys.byIdentity(List.of("DNS:unbound.example", identity)).orElseThrow().id(),
        "any identity of the certificate");
    assertEquals(Optional.empty(), keys.byIdentity(List.of("CN=nobody")));
  }

  @Test
  void listingPagesInIdOrder() {
    for (int i = 0; i < 3; i++) {
      keys.create(key(hash(), null, ""));
    }
    List<StoredKey> all = listAll();
    List<String> ids = all.stream().map(StoredKey::id).toList();
    assertEquals(ids.stream().sorted().toList(), ids);
    assertTrue(ids.size() >= 3);
  }

  @Test
  void hostileArgumentsAreRefusedByTheScripts() {
    assertRefused(
        Reason.INVALID,
        () ->
            keys.create(
                new NewKey(
                    id(),
                    hash(),
                    "x".repeat(2000),
                    false,
                    List.of("p"),
                    List.of("read"),
                    null,
                    "")));
    assertRefused(
        Reason.INTERNAL,
        () ->
            keys.create(
                new NewKey(
                    id(), "not-a-hash", "", false, List.of("p"), List.of("read"), null, "")));
    assertRefused(
        Reason.INVALID,
        () ->
            keys.create(
                new NewKey("../../x", hash(), "", false, List.of("p"), List.of("read"), null, "")));
    assertRefused(
        Reason.INVALID,
        () ->
            keys.create(
                new NewKey(
                    id(),
                    hash(),
                    "",
                    false,
                    List.of("p"),
                    List.of("read"),
                    null,
                    "x".repeat(5000))));
    StoredKey created = keys.create(key(hash(), null, ""));
    assertRefused(Reason.INVALID, () -> keys.rotate(created.id(), hash(), Duration.ofDays(8)));
    List<byte[]> many = new ArrayList<>();
    many.add(bytes("identity"));
    IntStream.range(0, 40).forEach(i -> many.add(bytes("CN=" + i)));
    assertRefused(
        Reason.INTERNAL,
        () ->
            scripts.call(
                Script.KEYS_LOOKUP,
                List.of(
                    bytes(Keys.API_KEY_HASHES),
                    bytes(Keys.API_KEY_IDENTITIES),
                    bytes(Keys.API_KEY_PREFIX)),
                many));
    assertRefused(Reason.INVALID, () -> keys.list(null, 100_000));
  }

  private List<StoredKey> listAll() {
    List<StoredKey> all = new ArrayList<>();
    String after = null;
    do {
      KeyPage page = keys.list(after, 2);
      all.addAll(page.keys());
      after = page.cursor().isEmpty() ? null : page.cursor();
    } while (after != null);
    return all;
  }

  private static NewKey key(String hash, Instant expiresAt, String identity) {
    return new NewKey(
        id(),
        hash,
        "a test key",
        false,
        List.of("billing", "ops"),
        List.of("read", "produce"),
        expiresAt,
        identity);
  }

  private static String id() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      id.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return id.toString();
  }

  private static String hash() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static void assertRefused(Reason reason, Executable call) {
    var refused = assertThrows(ScriptRefusedException.class, call);
    assertEquals(reason, refused.reason(), refused.getMessage());
  }
}
