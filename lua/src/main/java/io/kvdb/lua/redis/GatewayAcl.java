package io.kvdb.lua.redis;

import java.util.List;
import java.util.stream.Stream;

/**
 * The least rights a gateway needs on Redis, as the rule of an {@code ACL SETUSER}: its keys (all
 * under {@code kvdb:}), its event channels, and exactly the commands it sends, the ones its Lua
 * scripts call included (Redis checks those too). No {@code @all}, no category: {@code FLUSHALL},
 * {@code KEYS}, {@code CONFIG}, {@code DEBUG}, {@code SCRIPT FLUSH} and every other command stay
 * refused ({@code NOPERM}). The rule works on Redis 6.2 and 7; README and docs/ARCHITECTURE.md
 * quote {@link #RULE}.
 */
public final class GatewayAcl {
  /** Connecting: Jedis logs in, names the connection, picks the URL's database. */
  private static final List<String> CONNECTION =
      List.of("auth", "hello", "select", "client|setname", "ping");

  /** Loading and running the scripts, a replicated write's WAIT, the start-up log's INFO. */
  private static final List<String> SCRIPTS_AND_SERVER =
      List.of("evalsha", "script|load", "wait", "info");

  /** A cluster client reads the slot map and follows ASK redirections; health asks the state. */
  private static final List<String> CLUSTER = List.of("cluster|slots", "cluster|info", "asking");

  /** Waiting calls hear the scripts' events on {@code kvdb:events:*}. */
  private static final List<String> EVENTS = List.of("subscribe", "unsubscribe");

  /** What the Java domain code sends outside scripts (registries, listings, pipelines). */
  private static final List<String> PLAIN_READS_AND_WRITES =
      List.of(
          "exists",
          "get",
          "hdel",
          "hget",
          "hgetall",
          "hmget",
          "hset",
          "set",
          "zadd",
          "zcard",
          "zrange",
          "zrangebylex",
          "zrem");

  /** What {@code lua/scripts/**} call ({@code redis.call} and {@code redis.pcall}). */
  private static final List<String> SCRIPT_CALLS =
      List.of(
          "del",
          "exists",
          "get",
          "hdel",
          "hexists",
          "hget",
          "hgetall",
          "hincrby",
          "hmget",
          "hset",
          "hsetnx",
          "hstrlen",
          "lindex",
          "llen",
          "lpush",
          "ltrim",
          "pexpire",
          "pexpireat",
          "persist",
          "pttl",
          "publish",
          "rename",
          "sadd",
          "scard",
          "set",
          "sismember",
          "smembers",
          "srem",
          "time",
          "unlink",
          "xack",
          "xadd",
          "xclaim",
          "xgroup|create",
          "xgroup|delconsumer",
          "xgroup|destroy",
          "xinfo|consumers",
          "xinfo|groups",
          "xlen",
          "xpending",
          "xrange",
          "xreadgroup",
          "xrevrange",
          "xtrim",
          "zadd",
          "zcard",
          "zcount",
          "zpopmin",
          "zrange",
          "zrangebylex",
          "zrangebyscore",
          "zrem",
          "zremrangebyrank",
          "zrevrange",
          "zscore");

  /** Every command the rule allows, sorted, each once (a subcommand as {@code command|sub}). */
  public static final List<String> COMMANDS =
      Stream.of(
              CONNECTION, SCRIPTS_AND_SERVER, CLUSTER, EVENTS, PLAIN_READS_AND_WRITES, SCRIPT_CALLS)
          .flatMap(List::stream)
          .distinct()
          .sorted()
          .toList();

  /**
   * The rule's words, in order: first everything taken away (so applying it to an existing user
   * narrows it), then the key pattern, the channel pattern and one {@code +command} each.
   */
  public static final List<String> RULE_WORDS =
      Stream.concat(
              Stream.of("resetkeys", "resetchannels", "-@all", "~kvdb:*", "&kvdb:events:*"),
              COMMANDS.stream().map(command -> "+" + command))
          .toList();

  /** The rule as one line, for {@code ACL SETUSER <user> on ><password> <rule>}. */
  public static final String RULE = String.join(" ", RULE_WORDS);

  private GatewayAcl() {}
}
