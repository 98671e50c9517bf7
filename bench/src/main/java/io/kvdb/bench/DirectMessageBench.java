package io.kvdb.bench;

import io.kvdb.gateway.messages.MessageLimits;
import io.kvdb.lua.claims.ClaimOutcome;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.messages.MessageToPost;
import io.kvdb.lua.messages.Messages;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.lua.queues.Queues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * The messages bench without the gateway: producers post batches (messages/post) and consumers
 * claim batches (claims/create) and delete them (messages/delete) through the lua module's {@link
 * Messages} and {@link Claims}, with the gateway's default limits, on fresh queues of the run's
 * project on the same Redis. Only {@code --consume claims} with {@code --post calls} has such an
 * equivalent.
 */
final class DirectMessageBench {
  private static final Duration CLAIM_TTL = Duration.ofSeconds(60);
  private static final Duration CLAIM_GRACE = Duration.ofSeconds(60);

  /**
   * How long a consumer whose claim found nothing waits before claiming again: the gateway holds
   * such a claim until a post announces messages instead.
   */
  private static final Duration EMPTY_CLAIM_PAUSE = Duration.ofMillis(1);

  private DirectMessageBench() {}

  static List<LoadRun.Result> run(BenchTarget target, BenchOptions options)
      throws InterruptedException {
    Optional<String> unmatched = withoutDirectEquivalent(options);
    if (unmatched.isPresent()) {
      System.out.printf(
          "direct: %s has no direct equivalent (the gateway's or the SDK's own); skipped%n",
          unmatched.get());
      return List.of();
    }
    MessageShape load = MessageShape.of(options);
    List<QueueRef> queues =
        MessageBench.queueNames(target, load.queues(), "direct-").stream()
            .map(name -> new QueueRef(target.project(), name))
            .toList();
    byte[] body = new byte[load.size()];
    Arrays.fill(body, (byte) 'x');
    String clientId = UUID.randomUUID().toString();
    MessageLimits limits = MessageLimits.DEFAULTS;
    try (DirectRedis direct = DirectRedis.open(target, load.producers() + load.consumers())) {
      Messages messages = new Messages(direct.scripts());
      Claims claims = new Claims(direct.scripts());
      Queues registry = new Queues(direct.redis(), direct.scripts());
      int[] postRound = new int[load.producers()];
      int[] claimRound = new int[load.consumers()];
      LoadRun.Workload post =
          new LoadRun.Workload(
              "direct post " + load.describe(),
              load.producers(),
              worker -> {
                QueueRef queue = queues.get(load.queueOf(worker, postRound[worker]++));
                List<MessageToPost> batch = new ArrayList<>(load.batch());
                for (int i = 0; i < load.batch(); i++) {
                  batch.add(new MessageToPost(RandomIds.next(), body, Map.of(), null, null));
                }
                Messages.PostOutcome posted =
                    messages.post(
                        queue, clientId, batch, limits.defaultTtl(), limits.defaultMaxPostBytes());
                if (posted.unregistered()) {
                  registry.register(queue);
                }
                return posted.posted();
              });
      LoadRun.Workload claimAndDelete =
          new LoadRun.Workload(
              "direct claim+delete " + load.describe(),
              load.consumers(),
              worker -> {
                QueueRef queue = queues.get(load.queueOf(worker, claimRound[worker]++));
                String claimId = RandomIds.next();
                ClaimOutcome claimed =
                    claims.create(queue, claimId, CLAIM_TTL, CLAIM_GRACE, load.batch());
                if (claimed.messages().isEmpty()) {
                  LockSupport.parkNanos(EMPTY_CLAIM_PAUSE.toNanos());
                  return 0;
                }
                List<String> ids = claimed.messages().stream().map(StoredMessage::id).toList();
                messages.delete(queue, ids, claimId);
                return ids.size();
              });
      return target.loadRun(options, 10).run(List.of(post, claimAndDelete));
    }
  }

  /** The option, as given, that makes the gateway workload one the scripts alone cannot do. */
  private static Optional<String> withoutDirectEquivalent(BenchOptions options) {
    String consume = options.text("consume", "claims");
    String post = options.text("post", "calls");
    if (!consume.equals("claims")) {
      return Optional.of("--consume " + consume);
    }
    if (!post.equals("calls")) {
      return Optional.of("--post " + post);
    }
    if (options.values().containsKey("migrate-after")) {
      return Optional.of("--migrate-after");
    }
    return Optional.empty();
  }
}
