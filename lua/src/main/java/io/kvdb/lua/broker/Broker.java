package io.kvdb.lua.broker;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.codec.MsgpackValues;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Channels on Redis streams over the {@code broker/*} scripts: each call is one round trip. */
public final class Broker {
  /** Broadcast (every subscriber) or work sharing (one member of each group). */
  public enum Mode {
    ALL,
    ONE
  }

  /** A channel's dead-letter channel is its name with this suffix. */
  public static final String DEAD_LETTER_SUFFIX = ".dead";

  /**
   * Consumer groups a channel takes at most, so that finding what they all acknowledged stays
   * cheap.
   */
  public static final int MAX_GROUPS = 32;

  private static final Logger log = LoggerFactory.getLogger(Broker.class);

  private final ScriptRegistry scripts;

  public Broker(ScriptRegistry scripts) {
    this.scripts = scripts;
  }

  /**
   * Appends a message and announces it; returns its id. Retention trims only what every group of
   * the channel has acknowledged: {@code LIMIT} when the channel holds {@code retention} messages
   * and its oldest is not yet acknowledged by the group the text names.
   */
  public String publish(
      String project,
      String channel,
      Mode mode,
      byte[] payload,
      Map<String, Object> attributes,
      int retention) {
    List<byte[]> args =
        List.of(
            bytes(channel),
            bytes(mode.name().toLowerCase()),
            payload,
            attributes.isEmpty() ? new byte[0] : MsgpackValues.encode(attributes),
            bytes(Integer.toString(retention)),
            bytes(Keys.BROKER_CHANNEL),
            bytes(announcement(project, channel)));
    return Replies.asString(
        scripts.call(
            Script.BROKER_PUBLISH,
            List.of(bytes(Keys.broker(project)), bytes(Keys.quota(project))),
            args));
  }

  /**
   * Broadcast messages of each channel after its cursor ('$': after the newest), at most {@code
   * perChannel} each and, past the first message, at most {@code maxBytes} of payload in all (0: no
   * byte budget).
   */
  public BroadcastRead read(
      String project, Map<String, String> cursors, int perChannel, int maxBytes) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(Integer.toString(perChannel)));
    args.add(bytes(Integer.toString(maxBytes)));
    cursors.forEach(
        (channel, after) -> {
          args.add(bytes(channel));
          args.add(bytes(after));
        });
    return BroadcastRead.decode(
        List.copyOf(cursors.keySet()), scripts.call(Script.BROKER_READ, prefix(project), args));
  }

  /**
   * Up to {@code count} ONE messages for a member of a group: overdue ones first, then new. {@code
   * LIMIT} when the group is new and the channel already has {@link #MAX_GROUPS}.
   */
  public List<BrokerMessage> readGroup(
      String project,
      String channel,
      String group,
      String consumer,
      int count,
      Duration ackTimeout,
      int maxDeliveries,
      int retention) {
    List<byte[]> args =
        List.of(
            bytes(channel),
            bytes(group),
            bytes(consumer),
            bytes(Integer.toString(count)),
            bytes(Long.toString(ackTimeout.toMillis())),
            bytes(Integer.toString(maxDeliveries)),
            bytes(Integer.toString(retention)),
            bytes(Keys.BROKER_CHANNEL),
            bytes(announcement(project, channel + DEAD_LETTER_SUFFIX)),
            bytes(Integer.toString(MAX_GROUPS)));
    GroupRead reply =
        GroupRead.decode(channel, scripts.call(Script.BROKER_READ_GROUP, prefix(project), args));
    long lost = reply.lost();
    if (lost > 0) {
      log.warn(
          "{} pending messages of channel {} (project {}) were gone from the stream before group {}"
              + " acknowledged them, trimmed outside KVDB; counted in {}:lost",
          lost,
          channel,
          project,
          group,
          Keys.broker(project));
    }
    return reply.messages();
  }

  /** The reply of broker/read_group: pending messages found gone, then the messages read. */
  private record GroupRead(long lost, List<BrokerMessage> messages) {
    /** Fields per message: id, payload, attributes, delivery count. */
    private static final int FIELDS = 4;

    static GroupRead decode(String channel, Object result) {
      ScriptReply reply = ScriptReply.of(result);
      long lost = reply.nextLong();
      List<BrokerMessage> messages = new ArrayList<>();
      while (reply.remaining() >= FIELDS) {
        String id = reply.nextString();
        byte[] payload = reply.nextBytes();
        byte[] attributes = reply.nextBytes();
        messages.add(
            new BrokerMessage(
                channel, id, payload, BrokerMessage.attributes(attributes), reply.nextInt()));
      }
      return new GroupRead(lost, messages);
    }
  }

  /** Acknowledges ONE messages for a group; returns how many were pending. */
  public long ack(String project, String channel, String group, List<String> ids) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(channel));
    args.add(bytes(group));
    ids.forEach(id -> args.add(bytes(id)));
    return Replies.asLong(scripts.call(Script.BROKER_ACK, prefix(project), args));
  }

  /**
   * A member's stream ended: hands its pending messages of each channel to the group, idle time
   * kept, and deletes its consumer; returns how many messages were handed over.
   */
  public long leave(String project, List<String> channels, String group, String consumer) {
    List<byte[]> args = new ArrayList<>();
    args.add(bytes(group));
    args.add(bytes(consumer));
    channels.forEach(channel -> args.add(bytes(channel)));
    return Replies.asLong(scripts.call(Script.BROKER_LEAVE, prefix(project), args));
  }

  /** The key waiting subscribers watch for a channel's announcements. */
  public static String announcement(String project, String channel) {
    return project + "/" + channel;
  }

  private static List<byte[]> prefix(String project) {
    return List.of(bytes(Keys.broker(project)));
  }
}
