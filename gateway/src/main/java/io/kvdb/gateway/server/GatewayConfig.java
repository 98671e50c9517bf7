package io.kvdb.gateway.server;

import io.kvdb.gateway.auth.AuthSettings;
import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.script.Durability;
import io.kvdb.lua.stats.Retention;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The gateway's settings, from command-line flags ({@code --port 50051} or {@code --port=50051})
 * over environment variables over defaults, all declared once in {@link GatewayFlags}; {@link
 * #usage()} is the reference.
 */
public record GatewayConfig(
    String host,
    int port,
    Optional<URI> redisUrl,
    Optional<Path> embeddedRedisBinary,
    int redisPoolSize,
    Duration redisTimeout,
    Duration healthInterval,
    Duration catalogueCacheTime,
    Durability durability,
    Duration shutdownGrace,
    MessageLimits messageLimits,
    Duration collectInterval,
    Duration quotaRefreshInterval,
    Duration rollupInterval,
    Retention statsRetention,
    int statsPayloadMaxBytes,
    int brokerRetention,
    Optional<ServerTls> tls,
    AuthSettings auth,
    Optional<RedisTls> redisTls,
    boolean adminApi,
    Duration migrateInterval) {

  /**
   * The settings the flags give, over defaults alone: the one way tests and embedders build a
   * config.
   */
  public static GatewayConfig parse(String... args) {
    return parse(Map.of(), args);
  }

  /**
   * The settings the flags give, over {@code env} (the process environment in {@code Main}), over
   * defaults; every value checked.
   *
   * @throws IllegalArgumentException naming the flag that is unknown, missing its value or out of
   *     bounds
   * @throws HelpRequested for {@code --help}: the caller prints {@link #usage()}
   */
  public static GatewayConfig parse(Map<String, String> env, String... args) {
    GatewayFlags flags = new GatewayFlags();
    CommandLine command = commandLine(flags, env);
    try {
      command.parseArgs(args);
      if (command.isUsageHelpRequested()) {
        throw new HelpRequested();
      }
      command.getCommandSpec().options().forEach(flag -> requireWithinBounds(command, flag));
    } catch (UnmatchedArgumentException unmatched) {
      throw new IllegalArgumentException(unmatched(unmatched), unmatched);
    } catch (ParameterException invalid) {
      throw new IllegalArgumentException(
          invalid.getMessage() + fromEnvironment(command, invalid.getArgSpec(), env), invalid);
    }
    return flags.toConfig(env);
  }

  /** The help {@code --help} prints, generated from the flags' declarations. */
  public static String usage() {
    return commandLine(new GatewayFlags(), Map.of()).getUsageMessage(Help.Ansi.OFF);
  }

  private static CommandLine commandLine(GatewayFlags flags, Map<String, String> env) {
    CommandLine command =
        new CommandLine(flags)
            .setExpandAtFiles(false)
            .setOverwrittenOptionsAllowed(true)
            // A flag not given takes its environment variable from env, not System.getenv(): tests
            // pass a map.
            .setDefaultValueProvider(flag -> GatewayFlags.env(flag).map(env::get).orElse(null));
    command
        .getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, FlagsHelp::optionList);
    return command;
  }

  private static void requireWithinBounds(CommandLine command, OptionSpec flag) {
    GatewayFlags.bounds(flag)
        .ifPresent(
            bounds -> {
              int value = flag.getValue();
              if (value < bounds.min() || value > bounds.max()) {
                throw new ParameterException(
                    command,
                    "Invalid value for option '"
                        + flag.longestName()
                        + "': "
                        + value
                        + " is not a whole number from "
                        + bounds.min()
                        + " to "
                        + bounds.max(),
                    flag,
                    Integer.toString(value));
              }
            });
  }

  /** Where a bad value came from when it was not on the command line. */
  private static String fromEnvironment(
      CommandLine command, ArgSpec flag, Map<String, String> env) {
    if (!(flag instanceof OptionSpec option) || command.getParseResult().hasMatchedOption(option)) {
      return "";
    }
    return GatewayFlags.env(option)
        .filter(env::containsKey)
        .map(name -> " (from " + name + ")")
        .orElse("");
  }

  private static String unmatched(UnmatchedArgumentException unmatched) {
    String first = unmatched.getUnmatched().get(0);
    if (!first.startsWith("-")) {
      return "unexpected argument '" + first + "'";
    }
    String flag = first.split("=", 2)[0];
    return "unknown flag "
        + flag
        + (unmatched.getSuggestions().isEmpty()
            ? ""
            : " (did you mean " + unmatched.getSuggestions().get(0) + "?)");
  }

  /**
   * Thrown by {@link #parse} for {@code --help}: the caller prints {@link #usage()} and exits 0.
   */
  public static final class HelpRequested extends RuntimeException {
    HelpRequested() {
      super("help requested", null, false, false);
    }
  }
}
