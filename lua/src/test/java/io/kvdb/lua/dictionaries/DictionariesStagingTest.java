package io.kvdb.lua.dictionaries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.WithRedis;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** An import's staging area: the dictionary stays untouched, and every staged key expires. */
@WithRedis
class DictionariesStagingTest {
  private final UnifiedJedis redis;
  private final Dictionaries dictionaries;

  DictionariesStagingTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.dictionaries = new Dictionaries(redis, scripts);
  }

  @Test
  void stagingLeavesTheDictionaryAloneAndEveryStagedKeyExpires() {
    String project = "dict-" + UUID.randomUUID();
    Dictionary dictionary = Dictionary.of(project);
    DictionaryEntry old = new DictionaryEntry("OLD", "k", "v");
    dictionaries.putEntries(project, List.of(old));
    Dictionary staging = dictionary.newStaging();
    DictionaryEntry added = new DictionaryEntry("NEW", "k", "1");

    dictionaries.stageChunk(
        staging, dictionary, Duration.ofMinutes(5), List.of(added), List.of(new Link(added, old)));

    assertEquals(List.of("OLD"), dictionaries.systems(dictionary, null, 10));
    assertEquals(
        List.of(),
        dictionaries.translate(project, List.of(new Lookup("OLD", "k", "v", "NEW", "k"))).stream()
            .filter(Optional::isPresent)
            .toList());
    assertEquals(
        List.of("NEW", "OLD"),
        dictionaries.systems(staging, null, 10),
        "the dictionary's entry is staged too");
    for (String suffix :
        List.of(
            ":systems", ":e:NEW", ":e:OLD", ":t:NEW:k", ":t:OLD:k", ":l:NEW:k:1", ":l:OLD:k:v")) {
      String key = staging.prefix() + suffix;
      long ttl = redis.pttl(key);
      assertTrue(ttl > 0 && ttl <= Duration.ofMinutes(5).toMillis(), key + " lives " + ttl + " ms");
    }
    dictionaries.clear(staging);
    dictionaries.clear(project);
  }

  @Test
  void aReplaceStagesAgainstTheImportAlone() {
    String project = "dict-" + UUID.randomUUID();
    DictionaryEntry old = new DictionaryEntry("OLD", "k", "v");
    dictionaries.putEntries(project, List.of(old));
    Dictionary staging = Dictionary.of(project).newStaging();
    DictionaryEntry added = new DictionaryEntry("NEW", "k", "1");

    ScriptRefusedException refused =
        assertThrows(
            ScriptRefusedException.class,
            () ->
                dictionaries.stageChunk(
                    staging,
                    null,
                    Duration.ofMinutes(5),
                    List.of(added),
                    List.of(new Link(added, old))));

    assertEquals(Reason.NOT_FOUND, refused.reason());
    assertTrue(refused.getMessage().contains("translations.0.to"), refused.getMessage());
    assertEquals(
        List.of(), dictionaries.systems(staging, null, 10), "a refused chunk stages nothing");
    dictionaries.clear(project);
  }
}
