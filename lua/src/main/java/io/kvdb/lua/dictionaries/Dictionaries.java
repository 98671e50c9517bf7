package io.kvdb.lua.dictionaries;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.UnifiedJedis;

/**
 * A project's data dictionary over the {@code dictionaries/*} scripts (see
 * lua/scripts/lib/dictionaries.lua).
 */
public final class Dictionaries {
  /** What one clear step may delete: entries count 1, links 1 each (about 5,000 Redis commands). */
  private static final int CLEAR_STEP_BUDGET = 1000;

  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;

  public Dictionaries(UnifiedJedis redis, ScriptRegistry scripts) {
    this.redis = redis;
    this.scripts = scripts;
  }

  public long putEntries(String project, List<DictionaryEntry> entries) {
    return Replies.asLong(
        scripts.call(Script.DICTIONARIES_PUT_ENTRIES, prefix(project), entryArgs(entries)));
  }

  public long deleteEntries(String project, List<DictionaryEntry> entries) {
    return Replies.asLong(
        scripts.call(Script.DICTIONARIES_DELETE_ENTRIES, prefix(project), entryArgs(entries)));
  }

  /** Links pairs, all or none; {@code NOT_FOUND} names the first entry that does not exist. */
  public long putTranslations(String project, List<Link> links) {
    return Replies.asLong(
        scripts.call(Script.DICTIONARIES_PUT_TRANSLATIONS, prefix(project), linkArgs(links)));
  }

  public long deleteTranslations(String project, List<Link> links) {
    return Replies.asLong(
        scripts.call(Script.DICTIONARIES_DELETE_TRANSLATIONS, prefix(project), linkArgs(links)));
  }

  /** One answer per lookup, in order: the translated value, or empty. */
  public List<Optional<String>> translate(String project, List<Lookup> lookups) {
    List<byte[]> args = new ArrayList<>(lookups.size() * 5);
    for (Lookup lookup : lookups) {
      args.add(bytes(lookup.fromSystem()));
      args.add(bytes(lookup.key()));
      args.add(bytes(lookup.value()));
      args.add(bytes(lookup.toSystem()));
      args.add(bytes(lookup.toKey()));
    }
    return Replies.list(scripts.call(Script.DICTIONARIES_TRANSLATE, prefix(project), args)).stream()
        .map(Replies::asString)
        .map(value -> value.isEmpty() ? Optional.<String>empty() : Optional.of(value))
        .toList();
  }

  /** Up to {@code limit} systems after {@code after} (null: from the first). */
  public List<String> systems(Dictionary dictionary, String after, int limit) {
    return redis.zrangeByLex(
        dictionary.prefix() + ":systems", after == null ? "-" : "(" + after, "+", 0, limit);
  }

  /**
   * Up to {@code limit} entries of a system (of one key when {@code key} is not empty) after the
   * member {@code after} ('key:value', null from the first), in key then value order.
   */
  public List<DictionaryEntry> entries(
      Dictionary dictionary, String system, String key, String after, int limit) {
    byte[] index = bytes(dictionary.prefix() + ":e:" + system);
    byte[] min = key.isEmpty() ? bytes("-") : bytes("[" + key + ":");
    if (after != null) {
      min = bytes("(" + after);
    }
    byte[] max = key.isEmpty() ? bytes("+") : Keys.lexPrefixEnd(key + ":");
    List<DictionaryEntry> entries = new ArrayList<>();
    for (byte[] member : redis.zrangeByLex(index, min, max, 0, limit)) {
      entries.add(DictionaryEntry.parse(system + ":" + new String(member, StandardCharsets.UTF_8)));
    }
    return entries;
  }

  /**
   * Up to {@code limit} entries of a system after member {@code after}, with their links; the page
   * ends early rather than pass {@code linkBudget} links (its first entry always comes, with at
   * most 1000). Empty only when no entry follows {@code after}.
   */
  public List<ExportedEntry> exportPage(
      Dictionary dictionary, String system, String after, int limit, int linkBudget) {
    return ExportedEntry.decodePage(
        system,
        scripts.call(
            Script.DICTIONARIES_EXPORT_PAGE,
            List.of(bytes(dictionary.prefix())),
            List.of(
                bytes(system),
                bytes(after == null ? "" : after),
                bytes(Integer.toString(limit)),
                bytes(Integer.toString(linkBudget)))));
  }

  /** Applies one import chunk atomically; returns the entries and links it added. */
  public ChunkCounts importChunk(
      Dictionary dictionary, List<DictionaryEntry> entries, List<Link> links) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(Integer.toString(entries.size())));
    args.addAll(entryArgs(entries));
    args.addAll(linkArgs(links));
    return ChunkCounts.decode(
        scripts.call(Script.DICTIONARIES_IMPORT_CHUNK, List.of(bytes(dictionary.prefix())), args));
  }

  /**
   * Validates one import chunk and stages it in {@code staging}, atomically, without touching the
   * dictionary; with {@code mergeInto}, translations may name its entries (null for a replace).
   * Staged keys expire after {@code ttl}. Returns the entries and links new to the staging area.
   */
  public ChunkCounts stageChunk(
      Dictionary staging,
      Dictionary mergeInto,
      Duration ttl,
      List<DictionaryEntry> entries,
      List<Link> links) {
    List<byte[]> keys =
        mergeInto == null
            ? List.of(bytes(staging.prefix()))
            : List.of(bytes(staging.prefix()), bytes(mergeInto.prefix()));
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(Long.toString(ttl.toMillis())));
    args.add(bytes(Integer.toString(entries.size())));
    args.addAll(entryArgs(entries));
    args.addAll(linkArgs(links));
    return ChunkCounts.decode(scripts.call(Script.DICTIONARIES_STAGE_CHUNK, keys, args));
  }

  /** Empties a dictionary (or a staging area) in bounded steps. */
  public void clear(Dictionary dictionary) {
    while (Replies.asLong(
            scripts.call(
                Script.DICTIONARIES_CLEAR_STEP,
                List.of(bytes(dictionary.prefix())),
                List.of(bytes(Integer.toString(CLEAR_STEP_BUDGET)))))
        == 1) {
      // Each step deletes entries and links worth CLEAR_STEP_BUDGET (see clear_step.lua).
    }
  }

  public void clear(String project) {
    clear(Dictionary.of(project));
  }

  private static List<byte[]> entryArgs(List<DictionaryEntry> entries) {
    List<byte[]> args = new ArrayList<>(entries.size() * 3);
    for (DictionaryEntry entry : entries) {
      args.add(bytes(entry.system()));
      args.add(bytes(entry.key()));
      args.add(bytes(entry.value()));
    }
    return args;
  }

  private static List<byte[]> linkArgs(List<Link> links) {
    List<byte[]> args = new ArrayList<>(links.size() * 6);
    for (Link link : links) {
      args.addAll(entryArgs(List.of(link.from(), link.to())));
    }
    return args;
  }

  private static List<byte[]> prefix(String project) {
    return List.of(bytes(Keys.dictionary(project)));
  }
}
