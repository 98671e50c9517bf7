package io.kvdb.lua.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.testing.ScriptErrors;
import io.kvdb.lua.testing.ScriptErrors.Mention;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts keep to their error conventions: every {@code KVDB_<REASON>} they write, raised or
 * documented in a header, is a {@link Reason}, and every {@code KVDB_INVALID} they raise starts
 * with the field at fault, which the gateway names in its BadRequest (the gateway's
 * ScriptErrorsTest checks that the field exists in the protos).
 */
class ScriptReasonsTest {
  private static final Path SCRIPTS = Path.of("scripts");

  /** Names and indexes joined by dots, as in {@code messages.{}.delay}. */
  private static final Pattern FIELD_PATH =
      Pattern.compile("[a-z][a-z0-9_]*(\\.([a-z][a-z0-9_]*|\\{}|[0-9]+))*");

  @Test
  void everyReasonTheScriptsWriteIsKnownAndEveryInvalidStartsWithItsField() {
    List<Mention> mentions = ScriptErrors.scan(SCRIPTS);

    assertTrue(
        mentions.stream().anyMatch(m -> m.reason().equals("INVALID") && m.text().isPresent()),
        "the scan finds the INVALID errors the scripts raise: " + mentions);
    assertEquals(List.of(), breaches(mentions));
  }

  @Test
  void anUnknownReasonAndAnInvalidWithoutItsFieldAreBreaches(@TempDir Path scripts)
      throws IOException {
    Files.writeString(
        scripts.resolve("bad.lua"),
        """
        -- Errors   KVDB_NOT_FOUND when it is gone
        if a then return redis.error_reply('KVDB_GONE it is gone') end
        if b then return redis.error_reply('KVDB_INVALID ' .. ARGV[1] .. ' is too long') end
        return redis.error_reply("KVDB_INVALID Delay too long")
        """);

    assertEquals(
        List.of(
            "bad.lua:2: KVDB_GONE is no Reason",
            "bad.lua:3: KVDB_INVALID does not start with a field: {} is too long",
            "bad.lua:4: KVDB_INVALID does not start with a field: Delay too long"),
        breaches(ScriptErrors.scan(scripts)));
  }

  private static List<String> breaches(List<Mention> mentions) {
    List<String> breaches = new ArrayList<>();
    for (Mention mention : mentions) {
      if (Arrays.stream(Reason.values())
          .noneMatch(reason -> reason.name().equals(mention.reason()))) {
        breaches.add(mention.where() + ": KVDB_" + mention.reason() + " is no Reason");
      }
      mention
          .text()
          .filter(text -> mention.reason().equals(Reason.INVALID.name()))
          .filter(text -> !FIELD_PATH.matcher(text.split(" ", 2)[0]).matches())
          .ifPresent(
              text ->
                  breaches.add(
                      mention.where() + ": KVDB_INVALID does not start with a field: " + text));
    }
    return breaches;
  }
}
