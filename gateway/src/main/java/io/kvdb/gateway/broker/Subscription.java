package io.kvdb.gateway.broker;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Bounds;
import io.kvdb.gateway.api.Durations;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.gateway.api.Ids;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.wait.PatientCall;
import io.kvdb.gateway.wait.Wakeups;
import io.kvdb.lua.broker.BroadcastRead;
import io.kvdb.lua.broker.Broker;
import io.kvdb.lua.broker.BrokerMessage;
import io.kvdb.lua.broker.ChannelRead;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.Delivery;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeResponse;
import io.kvdb.proto.v1.SubscribeStart;
import io.kvdb.proto.v1.Subscribed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Subscribe stream. It reads only when the client can take more (gRPC flow control, checked
 * before each message sent) and, for a group, while it holds fewer than max_unacked messages, so a
 * slow subscriber costs no memory and never holds back others; between reads it waits for a publish
 * announcement (or a timer) holding no thread. At most one read is in flight. When a group member's
 * stream ends, its consumer leaves the group (broker/leave) once no read is in flight, handing what
 * it held to the other members.
 */
final class Subscription implements StreamObserver<SubscribeRequest> {
  private static final Pattern STREAM_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");
  private static final int READ_BATCH = 100;
  private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Payload bytes one broadcast read fetches at most (plus one message), whatever the channels. */
  private static final int READ_BYTES = BrokerService.MAX_PAYLOAD;

  private static final Logger log = LoggerFactory.getLogger(Subscription.class);

  private final Broker broker;
  private final int retention;
  private final Wakeups publishes;
  private final PatientCall.Runtime runtime;
  private final String project;
  private final ServerCallStreamObserver<SubscribeResponse> deliveries;

  private List<String> channels;
  private String group;
  private final String consumer = Ids.random();
  private final Map<String, String> cursors = new LinkedHashMap<>();
  private UnackedDeliveries held;
  private int maxUnacked;
  private Duration ackTimeout;
  private int maxDeliveries;

  /**
   * Which channel a read serves first, turning, so that one busy channel never starves the rest.
   */
  private int firstChannel;

  /** A read or a park is under way: no other read may start. */
  private boolean reading;

  /** A script call of a read is under way: a consumer leaving now could be re-made by it. */
  private boolean fetching;

  private boolean closed;
  private List<Runnable> unparks = List.of();
  private ScheduledFuture<?> retryTimer;
  private ScheduledFuture<?> overdueTimer;

  Subscription(
      Broker broker,
      int retention,
      Wakeups publishes,
      PatientCall.Runtime runtime,
      String project,
      ServerCallStreamObserver<SubscribeResponse> deliveries) {
    this.broker = broker;
    this.retention = retention;
    this.publishes = publishes;
    this.runtime = runtime;
    this.project = project;
    this.deliveries = deliveries;
    deliveries.setOnReadyHandler(this::readIfDue);
  }

  @Override
  public void onNext(SubscribeRequest request) {
    try {
      switch (request.getActionCase()) {
        case START -> start(request.getStart());
        case ACK -> acknowledge(request.getAck().getChannel(), request.getAck().getIdsList());
        case ACTION_NOT_SET -> throw new InvalidArgumentException("action", "must be start or ack");
      }
    } catch (RuntimeException failure) {
      fail(ErrorMapper.toStatus(failure));
    }
  }

  private void start(SubscribeStart start) {
    synchronized (this) {
      if (channels != null) {
        throw new InvalidArgumentException("start", "must come once, first");
      }
      int count = start.getChannelsCount();
      Bounds.count("start.channels", count, 1, 100);
      List<String> named = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        named.add(Names.channel("start.channels." + i, start.getChannels(i)));
      }
      group = start.getGroup().isEmpty() ? null : Names.name("start.group", start.getGroup());
      for (String channel : named) {
        String after = start.getAfterIdsOrDefault(channel, "$");
        if (!after.equals("$") && !isStreamId(after)) {
          throw new InvalidArgumentException("start.after_ids", "is not a message id: " + after);
        }
        cursors.put(channel, after);
      }
      maxUnacked =
          start.getMaxUnacked() == 0
              ? 100
              : Bounds.within("start.max_unacked", start.getMaxUnacked(), 1, 1000);
      ackTimeout =
          start.hasAckTimeout()
              ? Durations.within(
                  "start.ack_timeout",
                  true,
                  start.getAckTimeout(),
                  Duration.ofMillis(100),
                  Duration.ofHours(1))
              : Duration.ofSeconds(30);
      maxDeliveries =
          start.getMaxDeliveries() == 0
              ? 5
              : Bounds.within("start.max_deliveries", start.getMaxDeliveries(), 1, 100);
      held = new UnackedDeliveries(ackTimeout.toNanos(), maxUnacked);
      channels = List.copyOf(named);
      channels.forEach(channel -> publishes.watch(Broker.announcement(project, channel)));
      if (group == null && cursors.containsValue("$")) {
        // "From now" is when the start arrived, not whenever the first read gets to run.
        Map<String, String> now = new LinkedHashMap<>();
        cursors.forEach(
            (channel, after) -> {
              if (after.equals("$")) {
                now.put(channel, after);
              }
            });
        broker
            .read(project, now, 1, 0)
            .channels()
            .forEach(read -> cursors.put(read.channel(), read.readAfter()));
      }
      Subscribed.Builder subscribed = Subscribed.newBuilder();
      if (group == null) {
        subscribed.putAllPositions(cursors);
      }
      deliveries.onNext(SubscribeResponse.newBuilder().setSubscribed(subscribed).build());
    }
    readIfDue();
  }

  /** "ms-seq" where each part fits an unsigned 64-bit number, as Redis requires of a stream id. */
  private static boolean isStreamId(String id) {
    if (!STREAM_ID.matcher(id).matches()) {
      return false;
    }
    int dash = id.indexOf('-');
    try {
      Long.parseUnsignedLong(id.substring(0, dash));
      Long.parseUnsignedLong(id.substring(dash + 1));
      return true;
    } catch (NumberFormatException tooLarge) {
      return false;
    }
  }

  private void acknowledge(String channel, List<String> ids) {
    List<String> mine = new ArrayList<>();
    synchronized (this) {
      if (channels == null) {
        throw new InvalidArgumentException("ack", "must come after start");
      }
      if (group == null) {
        throw new InvalidArgumentException("ack", "only a group subscription acknowledges");
      }
      if (!cursors.containsKey(channel)) {
        throw new InvalidArgumentException(
            "ack.channel", "is not one of this subscription's channels");
      }
      for (String id : ids) {
        if (held.acknowledged(channel, id)) {
          mine.add(id);
        }
      }
    }
    if (!mine.isEmpty()) {
      broker.ack(project, channel, group, mine);
    }
    readIfDue();
  }

  private void readIfDue() {
    synchronized (this) {
      if (channels == null || closed || reading || !deliveries.isReady()) {
        return;
      }
      if (room() <= 0) {
        // Full: an ack makes room, and so does a held message falling overdue (it is then
        // another member's to take, or this one's again, and in time the dead-letter channel's).
        if (overdueTimer == null) {
          overdueTimer =
              runtime.timer().schedule(this::overdue, untilOverdue(), TimeUnit.NANOSECONDS);
        }
        return;
      }
      reading = true;
    }
    runtime.executor().execute(this::read);
  }

  /**
   * The overdue timer fired. Its handle is cleared before reading, not judged by isDone(): the read
   * it starts may finish and find the subscriber full again while this task is still returning, and
   * must then be able to schedule the next timer.
   */
  private void overdue() {
    synchronized (this) {
      overdueTimer = null;
    }
    readIfDue();
  }

  /** How many more messages this subscriber may hold now. */
  private int room() {
    return group == null ? READ_BATCH : maxUnacked - held.live(System.nanoTime());
  }

  /** How long until the oldest held message falls overdue. */
  private long untilOverdue() {
    return Math.max(0, held.untilOverdue(System.nanoTime())) + TimeUnit.MILLISECONDS.toNanos(1);
  }

  /** Group message ids this subscription remembers (for tests of its bound). */
  synchronized int remembered() {
    return held == null ? 0 : held.remembered();
  }

  /** The channels in the order this read serves them. */
  private List<String> turn() {
    List<String> order = new ArrayList<>(channels.size());
    for (int i = 0; i < channels.size(); i++) {
      order.add(channels.get((firstChannel + i) % channels.size()));
    }
    firstChannel = (firstChannel + 1) % channels.size();
    return order;
  }

  private void read() {
    try {
      Map<String, Long> seen = new HashMap<>();
      List<String> order;
      synchronized (this) {
        if (closed) {
          return;
        }
        channels.forEach(
            channel ->
                seen.put(channel, publishes.changesSeen(Broker.announcement(project, channel))));
        order = turn();
        fetching = true;
      }
      boolean more;
      try {
        more = group == null ? readBroadcast(order) : readGroup(order);
      } finally {
        if (fetched()) {
          leave();
        }
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        if (!more) {
          park(seen);
          return;
        }
        reading = false;
      }
      readIfDue();
    } catch (RuntimeException failure) {
      fail(ErrorMapper.toStatus(failure));
    }
  }

  /** The read's script calls are over; true when the stream ended meanwhile and must now leave. */
  private synchronized boolean fetched() {
    fetching = false;
    return closed && group != null && channels != null;
  }

  /**
   * Sends what came after each cursor while the client can take it; true when a channel may have
   * more right away (or the client was not ready for all: its next onReady reads on).
   */
  private boolean readBroadcast(List<String> order) {
    Map<String, String> from = new LinkedHashMap<>();
    synchronized (this) {
      order.forEach(channel -> from.put(channel, cursors.get(channel)));
    }
    BroadcastRead fetched = broker.read(project, from, READ_BATCH, READ_BYTES);
    boolean more = fetched.cut();
    for (ChannelRead read : fetched.channels()) {
      if (read.missedThrough() != null) {
        fail(ErrorMapper.fellBehind(read.channel(), read.missedThrough()));
        return false;
      }
      for (BrokerMessage message : read.messages()) {
        synchronized (this) {
          if (closed || !deliveries.isReady()) {
            return true;
          }
          send(message);
          cursors.put(read.channel(), message.id());
        }
      }
      more |= read.messages().size() == READ_BATCH;
    }
    return more;
  }

  private boolean readGroup(List<String> order) {
    boolean more = false;
    for (String channel : order) {
      int room;
      synchronized (this) {
        room = room();
      }
      if (room <= 0) {
        // Full: the caller's next readIfDue waits for an ack or an overdue message, not a publish.
        return true;
      }
      List<BrokerMessage> messages =
          broker.readGroup(
              project, channel, group, consumer, room, ackTimeout, maxDeliveries, retention);
      synchronized (this) {
        long now = System.nanoTime();
        messages.forEach(message -> held.delivered(channel, message.id(), now));
      }
      messages.forEach(this::send);
      more |= messages.size() == room;
    }
    return more;
  }

  private void send(BrokerMessage message) {
    synchronized (this) {
      if (closed) {
        return;
      }
      deliveries.onNext(
          SubscribeResponse.newBuilder()
              .setDelivery(
                  Delivery.newBuilder()
                      .setChannel(message.channel())
                      .setId(message.id())
                      .setPayload(ByteString.copyFrom(message.payload()))
                      .setAttributes(StructValues.toStruct(message.attributes()))
                      .setPublishTime(ProtoTime.timestamp(message.publishedAt()))
                      .setDeliveryCount(message.deliveries()))
              .build());
    }
  }

  /** Waits for a publish on any channel, or the timer (overdue group messages, lost news). */
  private void park(Map<String, Long> seen) {
    BooleanSupplier wake = Wakeups.once(runtime.executor(), this::wakeUp);
    long retryIn = group == null ? RECHECK_NANOS : Math.min(RECHECK_NANOS, ackTimeout.toNanos());
    retryTimer = runtime.timer().schedule(wake::getAsBoolean, retryIn, TimeUnit.NANOSECONDS);
    List<Runnable> parked = new ArrayList<>();
    for (String channel : channels) {
      String key = Broker.announcement(project, channel);
      parked.add(publishes.park(key, seen.get(channel), wake));
    }
    unparks = parked;
  }

  private void wakeUp() {
    synchronized (this) {
      unparks.forEach(Runnable::run);
      retryTimer.cancel(false);
      reading = false;
    }
    readIfDue();
  }

  @Override
  public void onError(Throwable cancelled) {
    close();
  }

  @Override
  public void onCompleted() {
    if (close()) {
      synchronized (this) {
        deliveries.onCompleted();
      }
    }
  }

  private void fail(StatusRuntimeException status) {
    if (close()) {
      synchronized (this) {
        deliveries.onError(status);
      }
    }
  }

  private boolean close() {
    boolean leaveNow;
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      unparks.forEach(Runnable::run);
      if (retryTimer != null) {
        retryTimer.cancel(false);
      }
      if (overdueTimer != null) {
        overdueTimer.cancel(false);
      }
      if (channels != null) {
        channels.forEach(channel -> publishes.unwatch(Broker.announcement(project, channel)));
      }
      leaveNow = group != null && channels != null && !fetching;
    }
    if (leaveNow) {
      leave();
    }
    return true;
  }

  /**
   * The member's consumer leaves its group. If this fails (Redis away), nothing is lost: its
   * messages fall overdue and go to other members, and read_group deletes the empty consumer.
   */
  private void leave() {
    try {
      broker.leave(project, channels, group, consumer);
    } catch (RuntimeException failure) {
      log.warn(
          "group {} member {} could not leave (read_group removes it later): {}",
          group,
          consumer,
          failure.toString());
    }
  }
}
