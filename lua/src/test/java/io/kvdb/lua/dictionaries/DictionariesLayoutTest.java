package io.kvdb.lua.dictionaries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.WithRedis;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * What the dictionary scripts leave in Redis: no link survives its entries, values may hold ':'.
 */
@WithRedis
class DictionariesLayoutTest {
  private final UnifiedJedis redis;
  private final Dictionaries dictionaries;

  DictionariesLayoutTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.dictionaries = new Dictionaries(redis, scripts);
  }

  @Test
  void clearingLeavesNoKeyBehind() {
    String project = "dict-" + UUID.randomUUID();
    DictionaryEntry url = new DictionaryEntry("WEB", "home", "https://example.com:8443/a:b");
    DictionaryEntry id = new DictionaryEntry("CMS", "page", "1");
    dictionaries.putEntries(project, List.of(url, id));
    dictionaries.putTranslations(project, List.of(new Link(url, id)));
    assertEquals(
        List.of(Optional.of("1")),
        dictionaries.translate(
            project, List.of(new Lookup("WEB", "home", url.value(), "CMS", "page"))));

    dictionaries.clear(project);

    String prefix = Keys.dictionary(project);
    for (String key :
        List.of(
            ":systems",
            ":e:WEB",
            ":e:CMS",
            ":t:WEB:home",
            ":t:CMS:page",
            ":l:WEB:home:" + url.value(),
            ":l:CMS:page:1")) {
      assertFalse(redis.exists(prefix + key), key);
    }
  }
}
