package io.kvdb.lua.script;

import io.kvdb.lua.Keys;
import io.kvdb.lua.codec.MsgpackValues;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.JedisClusterCRC16;
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

  /** A {@link #callReplicated} condition that saves it the pipeline: the plain call. */
  public static final Predicate<Object> NEVER = reply -> false;

  /** The queue hash field of {@code _durability} (metadata values are fields {@code m:<key>}). */
  private static final byte[] DURABILITY_FIELD =
      SafeEncoder.encode(Keys.METADATA_FIELD_PREFIX + Durability.QUEUE_SETTING);

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
    return reloadingOnce(script, keys, () -> redis.evalsha(shas.get(script), keys, args));
  }

  /**
   * Runs a script whose writes must reach a replica before its caller is told they are stored: the
   * {@code EVALSHA} and, when {@code replicate} says so of the decoded reply, a {@code WAIT} for
   * one replica, on the same connection (WAIT waits for that connection's writes). Queue writes use
   * {@link #callOnQueue}, which reads the queue's choice itself.
   *
   * @throws NotReplicatedException when no replica confirmed the writes within {@code wait}: they
   *     are on the primary, and a failover may still lose them
   */
  public <T> T callReplicated(
      Script script,
      List<byte[]> keys,
      List<byte[]> args,
      Function<Object, T> decode,
      Predicate<? super T> replicate,
      Duration wait) {
    if (replicate == NEVER) {
      return decode.apply(call(script, keys, args));
    }
    try (Pipeline pipeline = pipelineFor(keys.get(0))) {
      Supplier<Object> evalsha =
          () -> {
            Response<Object> reply = pipeline.evalsha(shas.get(script), keys, args);
            pipeline.sync();
            return reply.get();
          };
      T decoded = decode.apply(reloadingOnce(script, keys, evalsha));
      if (replicate.test(decoded)) {
        awaitReplica(pipeline, wait);
      }
      return decoded;
    }
  }

  /**
   * Runs a script that writes a queue ({@code KEYS[1]} its hash) and reads the queue's {@code
   * _durability} in the same round trip, after the script, so a create or update that sets it
   * applies at once; when it (or the default) is replicated, WAITs for one replica on the same
   * connection before returning.
   *
   * @throws NotReplicatedException as {@link #callReplicated}
   */
  public Object callOnQueue(
      Script script, List<byte[]> keys, List<byte[]> args, Durability durability) {
    try (Pipeline pipeline = pipelineFor(keys.get(0))) {
      AtomicReference<Response<byte[]>> setting = new AtomicReference<>();
      Supplier<Object> evalsha =
          () -> {
            Response<Object> reply = pipeline.evalsha(shas.get(script), keys, args);
            setting.set(pipeline.hget(keys.get(0), DURABILITY_FIELD));
            pipeline.sync();
            return reply.get();
          };
      Object reply = reloadingOnce(script, keys, evalsha);
      byte[] packed = setting.get().get();
      if (durability.replicates(packed == null ? null : MsgpackValues.decode(packed))) {
        awaitReplica(pipeline, durability.replicaWait());
      }
      return reply;
    }
  }

  private static void awaitReplica(Pipeline pipeline, Duration wait) {
    Response<Long> replicas = pipeline.waitReplicas(1, wait.toMillis());
    pipeline.sync();
    if (replicas.get() < 1) {
      throw new NotReplicatedException(wait);
    }
  }

  /** A pipeline on one connection to the primary that serves {@code key}. */
  private Pipeline pipelineFor(byte[] key) {
    if (redis instanceof RedisClusterClient cluster) {
      return new Pipeline(cluster.getConnectionFromSlot(JedisClusterCRC16.getSlot(key)), true);
    }
    return (Pipeline) redis.pipelined();
  }

  /** Runs {@code evalsha}; on {@code NOSCRIPT} loads the script where its key lives and again. */
  private Object reloadingOnce(Script script, List<byte[]> keys, Supplier<Object> evalsha) {
    try {
      return refusalsRaised(evalsha);
    } catch (JedisNoScriptException flushed) {
      log.info("script {} was gone from Redis; loading it again", script.path());
      loadInto(script, keys.isEmpty() ? null : SafeEncoder.encode(keys.get(0)));
      return refusalsRaised(evalsha);
    }
  }

  private static Object refusalsRaised(Supplier<Object> evalsha) {
    try {
      return evalsha.get();
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
