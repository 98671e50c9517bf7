package io.kvdb.conformance.broker;

import static io.kvdb.conformance.broker.Brokering.assertInvalid;
import static io.kvdb.conformance.broker.Brokering.group;
import static io.kvdb.conformance.broker.Brokering.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import io.kvdb.client.PublishOptions;
import io.kvdb.conformance.Direct;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.Acknowledgement;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.DeliveryMode;
import io.kvdb.proto.v1.PublishRequest;
import io.kvdb.proto.v1.SubscribeRequest;
import io.kvdb.proto.v1.SubscribeStart;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is INVALID_ARGUMENT naming the field; a stream ends with that status. */
class BrokerValidationTest extends ProjectScopedTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "has space",
        "a/b",
        "x:y",
        "{tag}",
        "sixty-five-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
      })
  void publishRefusesABadChannel(String channel) {
    Expect.invalid("channel", () -> kvdb.broker().publish(channel, text("x"), DeliveryMode.ALL));
  }

  @Test
  void publishRefusesAnUnknownModeAndAnOversizedPayload() {
    Expect.invalid(
        "mode",
        () ->
            Direct.call(
                () ->
                    BrokerServiceGrpc.newBlockingStub(kvdb.channel())
                        .publish(
                            PublishRequest.newBuilder()
                                .setChannel("c")
                                .setModeValue(7)
                                .setPayload(ByteString.copyFrom(text("x")))
                                .build())));
    Expect.invalid(
        "payload",
        () -> kvdb.broker().publish("c", new byte[1024 * 1024 + 1], PublishOptions.DEFAULTS));
    assertEquals(
        false,
        kvdb.broker().publish("c", new byte[1024 * 1024], PublishOptions.DEFAULTS).isEmpty(),
        "exactly 1 MiB is accepted");
  }

  private void expectStreamInvalid(String field, SubscribeRequest... requests) throws Exception {
    try (Brokering.RawSubscription stream = new Brokering.RawSubscription(project)) {
      for (SubscribeRequest request : requests) {
        stream.send(request);
      }
      assertInvalid(field, stream);
    }
  }

  private static SubscribeRequest start(SubscribeStart.Builder start) {
    return SubscribeRequest.newBuilder().setStart(start).build();
  }

  private static SubscribeRequest ack(String channel, String id) {
    return SubscribeRequest.newBuilder()
        .setAck(Acknowledgement.newBuilder().setChannel(channel).addIds(id))
        .build();
  }

  @Test
  void subscribeRefusesBadChannelLists() throws Exception {
    expectStreamInvalid("start.channels", start(SubscribeStart.newBuilder()));
    expectStreamInvalid(
        "start.channels",
        start(
            SubscribeStart.newBuilder()
                .addAllChannels(IntStream.range(0, 101).mapToObj(i -> "c" + i).toList())));
    expectStreamInvalid(
        "start.channels.1",
        start(SubscribeStart.newBuilder().addChannels("ok").addChannels("not/ok")));
    expectStreamInvalid(
        "start.group", start(SubscribeStart.newBuilder().addChannels("ok").setGroup("bad group")));
  }

  @Test
  void subscribeRefusesABadAfterId() throws Exception {
    for (String bad :
        List.of(
            "yesterday",
            "-1-0",
            "12-",
            "1700000000000-0-0",
            "99999999999999999999-99999999999999",
            "18446744073709551616-0",
            "0-18446744073709551616")) {
      expectStreamInvalid(
          "start.after_ids",
          start(SubscribeStart.newBuilder().addChannels("log").putAfterIds("log", bad)));
    }
  }

  @Test
  void subscribeRefusesOutOfRangeGroupSettings() throws Exception {
    expectStreamInvalid("start.max_unacked", start(group("g", -1, "c")));
    expectStreamInvalid("start.max_unacked", start(group("g", 1001, "c")));
    expectStreamInvalid(
        "start.ack_timeout", start(group("g", 10, "c").setAckTimeout(Durations.fromMillis(99))));
    expectStreamInvalid(
        "start.ack_timeout", start(group("g", 10, "c").setAckTimeout(Durations.fromSeconds(3601))));
    expectStreamInvalid("start.max_deliveries", start(group("g", 10, "c").setMaxDeliveries(101)));
    expectStreamInvalid("start.max_deliveries", start(group("g", 10, "c").setMaxDeliveries(-1)));
  }

  @Test
  void acknowledgementsNeedAGroupSubscriptionStartedFirst() throws Exception {
    expectStreamInvalid("ack", ack("c", "1-0"));
    expectStreamInvalid(
        "ack", start(SubscribeStart.newBuilder().addChannels("c")), ack("c", "1-0"));
    expectStreamInvalid("ack.channel", start(group("g", 10, "c")), ack("other", "1-0"));
  }

  @Test
  void aStreamStartsOnceAndEveryRequestCarriesAnAction() throws Exception {
    expectStreamInvalid(
        "start",
        start(SubscribeStart.newBuilder().addChannels("c")),
        start(SubscribeStart.newBuilder().addChannels("c")));
    expectStreamInvalid("action", SubscribeRequest.getDefaultInstance());
  }
}
