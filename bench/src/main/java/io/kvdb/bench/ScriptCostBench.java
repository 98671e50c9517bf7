package io.kvdb.bench;

import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.claims.ClaimOutcome;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.queues.QueueRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.UnifiedJedis;

/**
 * Redis's own time per message in each phase of a message's life, post, claim and delete, from
 * {@code INFO commandstats} around each script call: one caller, no gateway, so nothing else runs
 * scripts meanwhile and each phase's time is its own. The scripts are those of this bench jar's lua
 * module, so comparing two versions means running each version's bench jar.
 */
final class ScriptCostBench {
  private static final Duration CLAIM_TTL = Duration.ofSeconds(60);

  private ScriptCostBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options) {
    MessageShape shape = MessageShape.of(options);
    int batches = options.integer("batches", 2000);
    byte[] body = new byte[shape.size()];
    Arrays.fill(body, (byte) 'x');
    MessageLimits limits = MessageLimits.DEFAULTS;
    QueueRef queue = new QueueRef(target.project(), "script-cost");
    try (DirectRedis direct = DirectRedis.open(target, 1)) {
      UnifiedJedis redis = direct.redis();
      Messages messages = new Messages(direct.scripts());
      Claims claims = new Claims(direct.scripts());
      long[] micros = new long[3];
      for (int b = 0; b < batches; b++) {
        List<MessageToPost> batch = new ArrayList<>(shape.batch());
        for (int i = 0; i < shape.batch(); i++) {
          batch.add(new MessageToPost(RandomIds.next(), body, Map.of(), null, null));
        }
        long before = scriptMicros(redis);
        messages.post(queue, "", batch, limits.defaultTtl(), limits.defaultMaxPostBytes());
        long posted = scriptMicros(redis);
        String claimId = RandomIds.next();
        ClaimOutcome claim = claims.create(queue, claimId, CLAIM_TTL, CLAIM_TTL, shape.batch());
        long claimed = scriptMicros(redis);
        messages.delete(queue, claim.messages().stream().map(StoredMessage::id).toList(), claimId);
        long deleted = scriptMicros(redis);
        micros[0] += posted - before;
        micros[1] += claimed - posted;
        micros[2] += deleted - claimed;
      }
      double count = (double) batches * shape.batch();
      System.out.printf(
          "Redis time per message in batches of %s, %,d batches: post %.1f us, claim %.1f us,"
              + " delete %.1f us, in all %.1f us%n",
          shape.describe(),
          batches,
          micros[0] / count,
          micros[1] / count,
          micros[2] / count,
          (micros[0] + micros[1] + micros[2]) / count);
    }
    return List.of();
  }

  /** The microseconds Redis has spent in EVALSHA since its start (or its last CONFIG RESETSTAT). */
  private static long scriptMicros(UnifiedJedis redis) {
    for (String line : redis.info("commandstats").split("\r\n")) {
      if (line.startsWith("cmdstat_evalsha:")) {
        for (String part : line.substring(line.indexOf(':') + 1).split(",")) {
          if (part.startsWith("usec=")) {
            return Long.parseLong(part.substring("usec=".length()));
          }
        }
      }
    }
    return 0;
  }
}
