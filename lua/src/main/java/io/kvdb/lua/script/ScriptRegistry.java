package io.kvdb.lua.script;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Loads every {@link Script} into Redis at start and runs them with {@code EVALSHA}: one round trip
 * per call. On a Redis Cluster the scripts go to every node, replicas included, so a promoted
 * replica already has them. When a node answers {@code NOSCRIPT} (it restarted, a replica without
 * them was promoted, or someone ran {@code SCRIPT FLUSH}) the script is loaded again on the node
 * that serves the call's key and the call retried once, transparently.
 */
public final class ScriptRegistry {
  private static final Logger log = LoggerFactory.getLogger(ScriptRegistry.class);

  private final UnifiedJedis redis;
  private final Map<Script, String> sources = new EnumMap<>(Script.class);
  private final Map<Script, byte[]> shas = new EnumMap<>(Script.class);

  private ScriptRegistry(UnifiedJedis redis) {
    this.redis = redis;
  }

  /** Reads every script from the classpath and loads it into Redis. */
  public static ScriptRegistry load(UnifiedJedis redis) {
    ScriptRegistry registry = new ScriptRegistry(redis);
    for (Script script : Script.values()) {
      registry.sources.put(script, ScriptSource.read(script.path()));
      registry.shas.put(script, SafeEncoder.encode(registry.loadInto(script, null)));
    }
    if (redis instanceof RedisClusterClient cluster) {
      registry.loadOnEveryNode(cluster);
    }
    log.debug("loaded {} scripts", registry.shas.size());
    return registry;
  }

  /**
   * A node that does not answer now is skipped: it gets the scripts on its first {@code NOSCRIPT}.
   */
  private void loadOnEveryNode(RedisClusterClient cluster) {
    cluster
        .getClusterNodes()
        .forEach(
            (node, pool) -> {
              try (Connection connection = pool.getResource()) {
                for (String source : sources.values()) {
                  connection.executeCommand(
                      new CommandArguments(Protocol.Command.SCRIPT).add("LOAD").add(source));
                }
              } catch (JedisException unreachable) {
                log.warn("cannot load the scripts on {} now: {}", node, unreachable.getMessage());
              }
            });
  }

  /**
   * Runs a script. Its {@code KVDB_<REASON>} error replies surface as {@link
   * ScriptRefusedException}; connection failures as Jedis' own exceptions.
   */
  public Object call(Script script, List<byte[]> keys, List<byte[]> args) {
    try {
      return evalsha(script, keys, args);
    } catch (JedisNoScriptException flushed) {
      log.info("script {} was gone from Redis; loading it again", script.path());
      loadInto(script, keys.isEmpty() ? null : SafeEncoder.encode(keys.get(0)));
      return evalsha(script, keys, args);
    }
  }

  private Object evalsha(Script script, List<byte[]> keys, List<byte[]> args) {
    try {
      return redis.evalsha(shas.get(script), keys, args);
    } catch (JedisNoScriptException flushed) {
      throw flushed;
    } catch (JedisDataException error) {
      if (ScriptRefusedException.isScriptError(error.getMessage())) {
        throw ScriptRefusedException.fromReply(error.getMessage());
      }
      throw error;
    }
  }

  /** Loads a script on the node that serves {@code sampleKey} (any node when null). */
  private String loadInto(Script script, String sampleKey) {
    String source = sources.get(script);
    return sampleKey == null ? redis.scriptLoad(source) : redis.scriptLoad(source, sampleKey);
  }
}
