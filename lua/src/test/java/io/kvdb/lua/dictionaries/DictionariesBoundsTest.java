package io.kvdb.lua.dictionaries;

import static io.kvdb.lua.Keys.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.WithRedis;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Every dictionary script does bounded work whatever is stored: an entry has at most 1000 links,
 * and deleting, clearing and exporting cost a bounded number of links per call.
 */
@WithRedis
class DictionariesBoundsTest {
  private final String project = "dict-" + UUID.randomUUID();
  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;
  private final Dictionaries dictionaries;

  DictionariesBoundsTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
    this.dictionaries = new Dictionaries(redis, scripts);
  }

  @AfterEach
  void clear() {
    dictionaries.clear(project);
  }

  /** A hub entry linked to {@code links} entries, each of its own key in system {@code P<hub>}. */
  private DictionaryEntry hub(String name, int links) {
    DictionaryEntry hub = new DictionaryEntry("A", "hub", name);
    List<DictionaryEntry> partners = new ArrayList<>();
    for (int i = 0; i < links; i++) {
      partners.add(new DictionaryEntry("P" + name, "k" + i, "v"));
    }
    dictionaries.putEntries(project, List.of(hub));
    for (int at = 0; at < links; at += 1000) {
      List<DictionaryEntry> batch = partners.subList(at, Math.min(at + 1000, links));
      dictionaries.putEntries(project, batch);
      dictionaries.putTranslations(
          project, batch.stream().map(partner -> new Link(hub, partner)).toList());
    }
    return hub;
  }

  private long links(DictionaryEntry entry) {
    return redis.scard(
        Keys.dictionary(project)
            + ":l:"
            + entry.system()
            + ":"
            + entry.key()
            + ":"
            + entry.value());
  }

  @Test
  void anEntryHasAtMostAThousandTranslations() {
    DictionaryEntry hub = hub("h", 1000);
    DictionaryEntry one = new DictionaryEntry("Ph", "k1000", "v");
    dictionaries.putEntries(project, List.of(one));

    ScriptRefusedException refused =
        assertThrows(
            ScriptRefusedException.class,
            () -> dictionaries.putTranslations(project, List.of(new Link(one, hub))));
    assertEquals(Reason.LIMIT, refused.reason());
    assertTrue(refused.getMessage().contains("translations.0.to"), refused.getMessage());
    assertEquals(1000, links(hub));
    assertEquals(0, links(one), "nothing linked");

    ScriptRefusedException imported =
        assertThrows(
            ScriptRefusedException.class,
            () ->
                dictionaries.importChunk(
                    Dictionary.of(project), List.of(), List.of(new Link(hub, one))));
    assertEquals(Reason.LIMIT, imported.reason());
    assertEquals(1000, links(hub));
  }

  @Test
  void relinkingAnEntryAtTheLimitIsFine() {
    DictionaryEntry hub = hub("h", 1000);
    assertEquals(
        0,
        dictionaries.putTranslations(
            project, List.of(new Link(hub, new DictionaryEntry("Ph", "k0", "v")))));
  }

  @Test
  void deletingEntriesWithTooManyTranslationsTogetherDeletesNothing() {
    DictionaryEntry first = hub("h1", 1000);
    DictionaryEntry second = hub("h2", 1000);
    DictionaryEntry third = hub("h3", 1000);

    ScriptRefusedException refused =
        assertThrows(
            ScriptRefusedException.class,
            () -> dictionaries.deleteEntries(project, List.of(first, second, third)));
    assertEquals(Reason.LIMIT, refused.reason());
    assertEquals(
        List.of(first, second, third),
        dictionaries.entries(Dictionary.of(project), "A", "", null, 10));

    assertEquals(2, dictionaries.deleteEntries(project, List.of(first, second)));
    assertEquals(0, links(first));
  }

  @Test
  void aClearStepStopsAtItsBudgetOfLinks() {
    hub("h1", 1000);
    DictionaryEntry second = hub("h2", 1000);

    Object more =
        scripts.call(
            Script.DICTIONARIES_CLEAR_STEP,
            List.of(bytes(Keys.dictionary(project))),
            List.of(bytes("1000")));

    assertEquals(1L, more);
    assertEquals(
        List.of(second),
        dictionaries.entries(Dictionary.of(project), "A", "", null, 10),
        "one step removed the first hub and its 1000 links only");
    assertEquals(1000, links(second));
  }

  @Test
  void anExportPageStopsAtItsBudgetOfLinks() {
    DictionaryEntry first = hub("h1", 1000);
    DictionaryEntry second = hub("h2", 1000);

    List<ExportedEntry> page =
        dictionaries.exportPage(Dictionary.of(project), "A", null, 1000, 1000);
    assertEquals(List.of(first), page.stream().map(ExportedEntry::entry).toList());
    assertEquals(1000, page.get(0).links().size());
    List<ExportedEntry> next =
        dictionaries.exportPage(Dictionary.of(project), "A", "hub:h1", 1000, 1000);
    assertEquals(List.of(second), next.stream().map(ExportedEntry::entry).toList());
  }
}
