package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
  @Test
  void defaultsServeLocallyOnAnEmbeddedRedis() {
    GatewayConfig config = GatewayConfig.defaults();
    assertEquals("127.0.0.1", config.host());
    assertEquals(50051, config.port());
    assertEquals(Optional.empty(), config.redisUrl());
    assertEquals(Duration.ofSeconds(2), config.redisTimeout());
  }

  @Test
  void flagsWinOverTheEnvironment() {
    Map<String, String> env = Map.of("KVDB_REDIS_URL", "redis://env:1", "KVDB_PORT", "7000");
    GatewayConfig config = GatewayConfig.parse(
        new String[] {"--redis", "rediss://user:pw@flag:6380/2", "--host=0.0.0.0"}, env);
    assertEquals(Optional.of(URI.create("rediss://user:pw@flag:6380/2")), config.redisUrl());
    assertEquals(7000, config.port());
    assertEquals("0.0.0.0", config.host());
  }

  @Test
  void badFlagsAreExplained() {
    var unknown = assertThrows(IllegalArgumentException.class, () -> parse("--prot", "1"));
    assertTrue(unknown.getMessage().startsWith("unknown flag --prot"), unknown.getMessage());
    var range = assertThrows(IllegalArgumentException.class, () -> parse("--port", "70000"));
    assertTrue(range.getMessage().contains("from 0 to 65535"), range.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("--port"));
    assertThrows(IllegalArgumentException.class, () -> parse("stray"));
    assertThrows(GatewayConfig.HelpRequested.class, () -> parse("--help"));
  }

  private static GatewayConfig parse(String... args) {
    return GatewayConfig.parse(args, Map.of());
  }
}
