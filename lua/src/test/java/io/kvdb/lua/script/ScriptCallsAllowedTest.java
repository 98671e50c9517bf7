package io.kvdb.lua.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvdb.lua.redis.GatewayAcl;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every command a script calls is in {@link GatewayAcl}'s rule, so a script that starts calling a
 * new one fails here, on any Redis, before it fails with {@code NOPERM} on a server with ACLs. It
 * reads each script from {@code lua/scripts/} and only matches the pattern of its calls: no Lua
 * lives or runs here.
 */
class ScriptCallsAllowedTest {
  /**
   * {@code redis.call('CMD'} or {@code redis.pcall('CMD', 'SUB'}; the subcommand when there is one.
   */
  private static final Pattern CALL =
      Pattern.compile("redis\\.p?call\\(\\s*'([A-Za-z]+)'(?:\\s*,\\s*'([A-Za-z]+)')?");

  /** Commands whose next argument is a subcommand, which the rule names as {@code command|sub}. */
  private static final List<String> CONTAINERS = List.of("xgroup", "xinfo");

  @Test
  void everyCommandTheScriptsCallIsAllowed() {
    List<String> missing =
        Stream.of(Script.values())
            .flatMap(script -> calls(ScriptSource.read(script.path())))
            .distinct()
            .filter(command -> !GatewayAcl.COMMANDS.contains(command))
            .sorted()
            .toList();
    assertEquals(List.of(), missing, "commands scripts call outside GatewayAcl");
  }

  private static Stream<String> calls(String source) {
    Stream.Builder<String> commands = Stream.builder();
    Matcher call = CALL.matcher(source);
    while (call.find()) {
      String command = call.group(1).toLowerCase(Locale.ROOT);
      commands.add(
          CONTAINERS.contains(command)
              ? command + "|" + call.group(2).toLowerCase(Locale.ROOT)
              : command);
    }
    return commands.build();
  }
}
