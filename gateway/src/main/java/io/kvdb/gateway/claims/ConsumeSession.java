package io.kvdb.gateway.claims;

import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.gateway.api.Ids;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.messages.DeadLetterMover;
import io.kvdb.gateway.messages.MessageProtos;
import io.kvdb.gateway.pools.QueueRouter;
import io.kvdb.gateway.pools.SplitQueue;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.gateway.wait.Wakeups;
import io.kvdb.lua.claims.ClaimOutcome;
import io.kvdb.lua.claims.Claims;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.lua.queues.QueueRef;
import io.kvdb.proto.v1.ConsumeRequest;
import io.kvdb.proto.v1.ConsumeResponse;
import io.kvdb.proto.v1.ConsumeStart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Consume stream: claims messages as they arrive, within the credit the client granted, and
 * pushes each batch with its claim id; acks delete, releases deliver again. At most one claim
 * attempt is in flight; between attempts the session waits for a post (or its retry time) holding
 * no thread. When the stream ends, whatever was pushed and not settled is released.
 */
final class ConsumeSession implements StreamObserver<ConsumeRequest> {
  static final int DEFAULT_MAX_BATCH = 100;
  private static final Logger log = LoggerFactory.getLogger(ConsumeSession.class);
  private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** What sessions share with the claim service. */
  record Context(
      QueueRouter router,
      DeadLetterMover deadLetters,
      Wakeups posts,
      PatientCall.Runtime runtime,
      ClaimBounds bounds,
      Set<ConsumeSession> open) {}

  private final Context context;
  private final String project;
  private final StreamObserver<ConsumeResponse> responses;

  private QueueRef queue;
  private String key;
  private Duration ttl;
  private Duration grace;
  private int maxBatch;
  private long credit;
  private boolean fetching;
  private boolean closed;
  private Runnable unpark = () -> {};
  private ScheduledFuture<?> retryTimer;

  /** Pushed and not yet settled: message id to the claim holding it. */
  private final Map<String, String> outstanding = new HashMap<>();

  /** Complete once the session has ended and given back what it held. */
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  /** {@code project} comes from the call's headers, read on the handler thread. */
  ConsumeSession(Context context, String project, StreamObserver<ConsumeResponse> responses) {
    this.context = context;
    this.project = project;
    this.responses = responses;
    context.open().add(this);
  }

  /**
   * Ends the session as its gateway stops, and waits (up to {@code patience}) until what it held is
   * given back, so that the release is not cut off by Redis closing under it: a message pushed into
   * a stream that was cut would otherwise stay claimed until its claim lapsed.
   */
  void end(Duration patience) throws InterruptedException {
    close(false);
    try {
      ended.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException notEnded) {
      log.warn("a session of {} did not end in {}", queue, patience);
    }
  }

  @Override
  public void onNext(ConsumeRequest request) {
    try {
      switch (request.getActionCase()) {
        case START -> start(request.getStart());
        case CREDIT -> grant(request.getCredit());
        case ACK -> settle(request.getAck().getIdsList(), true);
        case RELEASE -> settle(request.getRelease().getIdsList(), false);
        case ACTION_NOT_SET ->
            throw new InvalidArgumentException("action", "must be start, credit, ack or release");
      }
    } catch (RuntimeException failure) {
      fail(failure);
    }
  }

  private void start(ConsumeStart start) {
    synchronized (this) {
      if (queue != null) {
        throw new InvalidArgumentException("start", "must come once, first");
      }
      QueueRef requested = new QueueRef(project, Names.name("start.queue", start.getQueue()));
      ttl = context.bounds().ttl("start.ttl", start.hasTtl(), start.getTtl());
      grace = context.bounds().grace("start.grace", start.hasGrace(), start.getGrace());
      maxBatch =
          start.getMaxBatch() == 0
              ? DEFAULT_MAX_BATCH
              : Bounds.within("start.max_batch", start.getMaxBatch(), 1, ClaimService.MAX_LIMIT);
      queue = requested;
      key = queue.project() + "/" + queue.name();
      context.posts().watch(key);
    }
    fetchIfDue();
  }

  private void grant(int more) {
    if (more <= 0) {
      throw new InvalidArgumentException("credit", "must be positive, got " + more);
    }
    synchronized (this) {
      requireStarted();
      credit += more;
    }
    fetchIfDue();
  }

  /** One round trip for the whole ack or release, whatever claims the messages came under. */
  private void settle(List<String> ids, boolean acknowledge) {
    List<Claims.ClaimedMessage> held = new ArrayList<>();
    synchronized (this) {
      requireStarted();
      for (String id : ids) {
        String claim = outstanding.remove(id);
        if (claim != null) {
          held.add(new Claims.ClaimedMessage(claim, id));
        }
      }
    }
    SplitQueue.settle(context.router().route(queue), queue, acknowledge, held);
  }

  private void fetchIfDue() {
    synchronized (this) {
      if (queue == null || closed || fetching || credit <= 0) {
        return;
      }
      fetching = true;
    }
    context.runtime().executor().execute(this::fetch);
  }

  private void fetch() {
    try {
      long seen;
      int limit;
      synchronized (this) {
        if (closed) {
          return;
        }
        seen = context.posts().changesSeen(key);
        limit = (int) Math.min(credit, maxBatch);
      }
      SplitQueue.Claimed claimed =
          SplitQueue.claim(context.router().route(queue), queue, Ids.random(), ttl, grace, limit);
      ClaimOutcome outcome = claimed.outcome();
      if (outcome.deadLettered() > 0) {
        context.deadLetters().drain(queue);
      }
      if (outcome.messages().isEmpty()) {
        waitForMessages(seen, outcome);
        return;
      }
      push(claimed);
      synchronized (this) {
        fetching = false;
      }
      fetchIfDue();
    } catch (RuntimeException failure) {
      fail(failure);
    }
  }

  private void push(SplitQueue.Claimed claimed) {
    ClaimOutcome outcome = claimed.outcome();
    ConsumeResponse.Builder batch = ConsumeResponse.newBuilder().setClaimId(outcome.claimId());
    synchronized (this) {
      for (StoredMessage message : outcome.messages()) {
        outstanding.put(message.id(), outcome.claimId());
        batch.addMessages(MessageProtos.toProto(message));
      }
      credit -= outcome.messages().size();
      if (closed) {
        // In the pool it was made in: a release elsewhere finds no claim and is no error.
        claimed.claims().release(queue, outcome.claimId());
        return;
      }
      responses.onNext(batch.build());
    }
  }

  private void waitForMessages(long seen, ClaimOutcome outcome) {
    long retryIn = RECHECK_NANOS;
    if (outcome.nextChange() != null) {
      retryIn =
          Math.min(
              retryIn, Duration.between(outcome.now(), outcome.nextChange()).toNanos() + 1_000_000);
    }
    BooleanSupplier wake = Wakeups.once(context.runtime().executor(), this::wakeUp);
    synchronized (this) {
      if (closed) {
        return;
      }
      retryTimer =
          context.runtime().timer().schedule(wake::getAsBoolean, retryIn, TimeUnit.NANOSECONDS);
      unpark = context.posts().park(key, seen, wake);
    }
  }

  private void wakeUp() {
    synchronized (this) {
      unpark.run();
      retryTimer.cancel(false);
    }
    fetch();
  }

  @Override
  public void onError(Throwable cancelled) {
    close(false);
  }

  @Override
  public void onCompleted() {
    close(true);
  }

  private void fail(RuntimeException failure) {
    if (close(false)) {
      synchronized (this) {
        responses.onError(ErrorMapper.toStatus(failure));
      }
    }
  }

  /** Ends the session once: stops waiting, releases what is unsettled. */
  private boolean close(boolean completeResponses) {
    List<Claims.ClaimedMessage> unsettled = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      unpark.run();
      if (retryTimer != null) {
        retryTimer.cancel(false);
      }
      if (key != null) {
        context.posts().unwatch(key);
      }
      outstanding.forEach((id, claim) -> unsettled.add(new Claims.ClaimedMessage(claim, id)));
      outstanding.clear();
      if (completeResponses) {
        responses.onCompleted();
      }
    }
    try {
      if (queue != null && !unsettled.isEmpty()) {
        release(unsettled);
      }
    } finally {
      context.open().remove(this);
      ended.complete(null);
    }
    return true;
  }

  /**
   * Gives back what the session held. A session often ends because Redis went away, so the release
   * may fail too: its messages then become claimable when their claims lapse, and the session still
   * ends with the status it was going to send, never with this failure.
   */
  private void release(List<Claims.ClaimedMessage> unsettled) {
    try {
      SplitQueue.settle(context.router().route(queue), queue, false, unsettled);
    } catch (RuntimeException unreleased) {
      log.warn(
          "{} messages of {} not released ({}); they return when their claims lapse",
          unsettled.size(),
          queue,
          unreleased.toString());
    }
  }

  private void requireStarted() {
    if (queue == null) {
      throw new InvalidArgumentException("start", "must come first");
    }
  }
}
