package io.kvdb.lua.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.redis.RedisAddress.Kind;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;

/** The three forms {@code --redis} accepts, and the URLs it refuses with a reason. */
class RedisAddressTest {
  @Test
  void oneNodeWithCredentialsAndDatabase() {
    RedisAddress address = RedisAddress.parse(URI.create("redis://kvdb:s%40cret@cache:6380/2"));
    assertEquals(Kind.NODE, address.kind());
    assertEquals(new HostAndPort("cache", 6380), address.firstNode());
    assertEquals(Optional.of("kvdb"), address.user());
    assertEquals(Optional.of("s@cret"), address.password());
    assertEquals(2, address.database());
    assertFalse(address.tls());
    assertEquals("redis://cache:6380/2", address.redacted());
  }

  @Test
  void aPasswordWithoutUserAndTheDefaultPort() {
    RedisAddress address = RedisAddress.parse(URI.create("rediss://:pw@cache"));
    assertEquals(Optional.empty(), address.user());
    assertEquals(Optional.of("pw"), address.password());
    assertEquals(new HostAndPort("cache", 6379), address.firstNode());
    assertTrue(address.tls());
  }

  @Test
  void severalNodesAreACluster() {
    RedisAddress address = RedisAddress.parse(URI.create("redis://a:7000,b:7001,c"));
    assertEquals(Kind.CLUSTER, address.kind());
    assertEquals(3, address.nodes().size());
    assertTrue(address.nodes().contains(new HostAndPort("c", 6379)));
  }

  @Test
  void sentinelsNameTheirMasterAndMayHaveCredentialsOfTheirOwn() {
    RedisAddress address =
        RedisAddress.parse(
            URI.create(
                "redis-sentinel://app:pw@s1:26380,s2/kvdb?sentinel-user=watch&sentinel-password=x"));
    assertEquals(Kind.SENTINEL, address.kind());
    assertEquals(Optional.of("kvdb"), address.masterName());
    assertTrue(
        address
            .nodes()
            .containsAll(List.of(new HostAndPort("s1", 26380), new HostAndPort("s2", 26379))));
    assertEquals(Optional.of("app"), address.user());
    assertEquals(Optional.of("watch"), address.sentinelUser());
    assertEquals(Optional.of("x"), address.sentinelPassword());
    assertFalse(address.redacted().contains("pw"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://cache:6379",
        "redis://cache:notaport",
        "redis://cache:70000",
        "redis://cache:6379/x",
        "redis://a:1,b:2/3",
        "redis-sentinel://s1:26379",
        "redis-sentinel://s1:26379/a/b",
      })
  void unusableUrlsAreRefusedWithoutTheirCredentials(String url) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> RedisAddress.parse(URI.create(url)));
    assertTrue(refused.getMessage().startsWith("not a usable Redis URL"), refused.getMessage());
  }

  @Test
  void theRefusalDoesNotRepeatThePassword() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisAddress.parse(URI.create("redis://u:hunter2@cache:nope")));
    assertFalse(refused.getMessage().contains("hunter2"), refused.getMessage());
  }
}
