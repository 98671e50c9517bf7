package io.kvdb.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Grant GRANT = new Grant("jwt:a", false, Set.of("p"), Set.of(Role.READ));

  private final MovableClock clock = new MovableClock(NOW);
  private final VerifiedTokens tokens = new VerifiedTokens(clock, Duration.ofSeconds(60), 2);

  @Test
  void aGrantIsKeptUntilItsTokenExpires() {
    tokens.put("t", GRANT, NOW.plusSeconds(5));
    clock.now = NOW.plusMillis(4999);
    assertEquals(Optional.of(GRANT), tokens.get("t"));
    clock.now = NOW.plusSeconds(5);
    assertTrue(tokens.get("t").isEmpty());
  }

  @Test
  void aLongLivedTokenIsKeptForTheTtlOnly() {
    tokens.put("t", GRANT, NOW.plusSeconds(3600));
    clock.now = NOW.plusSeconds(59);
    assertEquals(Optional.of(GRANT), tokens.get("t"));
    clock.now = NOW.plusSeconds(60);
    assertTrue(tokens.get("t").isEmpty());
  }

  @Test
  void aFullCacheDropsExpiredEntriesElseAll() {
    tokens.put("a", GRANT, NOW.plusSeconds(1));
    tokens.put("b", GRANT, NOW.plusSeconds(60));
    clock.now = NOW.plusSeconds(1);
    tokens.put("c", GRANT, NOW.plusSeconds(60));
    assertTrue(tokens.get("b").isPresent());
    assertTrue(tokens.get("c").isPresent());
    tokens.put("d", GRANT, NOW.plusSeconds(60));
    assertTrue(tokens.get("b").isEmpty());
    assertTrue(tokens.get("c").isEmpty());
    assertTrue(tokens.get("d").isPresent());
  }
}
