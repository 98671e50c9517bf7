package io.kvdb.conformance.quotas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.KvdbClientOptions;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.DeleteMessagesRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.GetQueueStatsRequest;
import io.kvdb.proto.v1.GetQuotaRequest;
import io.kvdb.proto.v1.ListQueuesRequest;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.PublishRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.Quota;
import io.kvdb.proto.v1.QuotaServiceGrpc;
import io.kvdb.proto.v1.SetQuotaRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each quota on a gateway of the test's own, collecting every 50 ms and rereading quotas every 20
 * ms: the refusal (RESOURCE_EXHAUSTED, reason LIMIT, a QuotaFailure naming the project and the
 * quota, RetryInfo where waiting helps), nothing stored by a refused call, service back once the
 * quota is removed, and another project untouched.
 */
class QuotaTest {
  private static final long COLLECT_MS = 50;
  private static final long REFRESH_MS = 20;
  private static Gateway gateway;

  private final List<KvdbClient> clients = new ArrayList<>();
  private String project;
  private KvdbClient kvdb;

  @BeforeAll
  static void startGateway() {
    gateway =
        KvdbTarget.ownGateway(
            "--collect-interval-ms", Long.toString(COLLECT_MS),
            "--quota-refresh-ms", Long.toString(REFRESH_MS));
  }

  @AfterAll
  static void stopGateway() {
    gateway.close();
  }

  @BeforeEach
  void freshProject() {
    project = KvdbTarget.freshProject();
    kvdb = client(project);
  }

  @AfterEach
  void closeClients() {
    clients.forEach(KvdbClient::close);
  }

  private KvdbClient client(String of) {
    return client(of, "127.0.0.1:" + gateway.port());
  }

  private KvdbClient client(String of, String target) {
    KvdbClient client =
        KvdbClient.create(KvdbClientOptions.newBuilder().setTarget(target).setProject(of).build());
    clients.add(client);
    return client;
  }

  private QuotaServiceGrpc.QuotaServiceBlockingStub admin() {
    return QuotaServiceGrpc.newBlockingStub(kvdb.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static QueueServiceGrpc.QueueServiceBlockingStub queues(KvdbClient client) {
    return QueueServiceGrpc.newBlockingStub(client.channel())
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static MessageServiceGrpc.MessageServiceBlockingStub messages(KvdbClient client) {
    return MessageServiceGrpc.newBlockingStub(client.channel())
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private void setQuota(Quota quota) {
    admin().setQuota(SetQuotaRequest.newBuilder().setProject(project).setQuota(quota).build());
  }

  private void create(String queue) {
    queues(kvdb).createQueue(CreateQueueRequest.newBuilder().setName(queue).build());
  }

  private List<String> post(String queue, int... bodySizes) {
    PostMessagesRequest.Builder request = PostMessagesRequest.newBuilder().setQueue(queue);
    for (int size : bodySizes) {
      request.addMessages(
          NewMessage.newBuilder().setBody(ByteString.copyFrom(new byte[size])).build());
    }
    return messages(kvdb).postMessages(request.build()).getMessageIdsList();
  }

  private long total(String queue) {
    return queues(kvdb)
        .getQueueStats(GetQueueStatsRequest.newBuilder().setName(queue).build())
        .getTotal();
  }

  /** Waits until the collector measured the usage and this gateway reread it. */
  private void awaitUsage(long messages, long bytes) throws InterruptedException {
    Eventually.await(
        "the collector measures " + messages + " messages, " + bytes + " bytes",
        () -> {
          var usage =
              admin().getQuota(GetQuotaRequest.newBuilder().setProject(project).build()).getUsage();
          return usage.getMessages() == messages && usage.getBytes() >= bytes;
        });
    Thread.sleep(3 * REFRESH_MS);
  }

  /** The refusal's details, checked as every quota's: returns its RetryInfo, if any. */
  private RetryInfo overQuota(String quota, Executable call) {
    StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call);
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, failure.getStatus().getCode(), failure::toString);
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    RetryInfo retry = null;
    boolean sawInfo = false;
    boolean sawQuota = false;
    try {
      for (var detail : status.getDetailsList()) {
        if (detail.is(ErrorInfo.class)) {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          assertEquals("LIMIT", info.getReason());
          assertEquals(quota, info.getMetadataOrThrow("quota"));
          sawInfo = true;
        } else if (detail.is(QuotaFailure.class)) {
          QuotaFailure.Violation violation = detail.unpack(QuotaFailure.class).getViolations(0);
          assertEquals("project:" + project, violation.getSubject());
          assertTrue(violation.getDescription().startsWith(quota), violation.getDescription());
          sawQuota = true;
        } else if (detail.is(RetryInfo.class)) {
          retry = detail.unpack(RetryInfo.class);
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    assertTrue(sawInfo && sawQuota, "ErrorInfo and QuotaFailure: " + status);
    return retry;
  }

  private static Quota.Builder quota() {
    return Quota.newBuilder();
  }

  @Test
  void queuesBeyondTheQuotaAreRefusedExistingOnesStayIdempotent() {
    setQuota(quota().setMaxQueues(2).build());
    create("a");
    create("b");

    overQuota("max_queues", () -> create("c"));
    create("a");
    overQuota("max_queues", () -> post("d", 10));
    assertEquals(1, post("a", 10).size(), "posting to a queue that exists is not refused");
    Status.Code missing =
        assertThrows(
                StatusRuntimeException.class,
                () -> queues(kvdb).getQueue(GetQueueRequest.newBuilder().setName("d").build()))
            .getStatus()
            .getCode();
    assertEquals(Status.Code.NOT_FOUND, missing, "a refused post creates no queue");
    assertEquals(
        2, queues(kvdb).listQueues(ListQueuesRequest.getDefaultInstance()).getQueuesCount());

    KvdbClient other = client(KvdbTarget.freshProject());
    for (String name : List.of("a", "b", "c")) {
      queues(other).createQueue(CreateQueueRequest.newBuilder().setName(name).build());
    }

    setQuota(Quota.getDefaultInstance());
    create("c");
    post("d", 10);
  }

  @Test
  void aQueueAdmittedForARefusedPostStopsCountingByTheCollectorsNextRound() {
    setQuota(quota().setMaxQueues(1).build());
    NewMessage outlivesItsTtl =
        NewMessage.newBuilder()
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60))
            .setDelay(com.google.protobuf.Duration.newBuilder().setSeconds(120))
            .build();
    StatusRuntimeException invalid =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                messages(kvdb)
                    .postMessages(
                        PostMessagesRequest.newBuilder()
                            .setQueue("never")
                            .addMessages(outlivesItsTtl)
                            .build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, invalid.getStatus().getCode());

    Eventually.await(
        "the collector drops the entry of a queue never created",
        () ->
            admin()
                    .getQuota(GetQuotaRequest.newBuilder().setProject(project).build())
                    .getUsage()
                    .getQueues()
                == 0);
    create("real");
  }

  @Test
  void storedMessagesBeyondTheQuotaAreRefusedWholeBatchesAtATime() throws InterruptedException {
    setQuota(quota().setMaxMessages(4).build());
    List<String> ids = post("q", 1, 1, 1);
    awaitUsage(3, 3);

    RetryInfo retry = overQuota("max_messages", () -> post("q", 1, 1));
    assertEquals(3, total("q"), "a refused batch stores none of its messages");
    assertTrue(retry != null && retry.getRetryDelay().getNanos() > 0, "RetryInfo: " + retry);
    assertEquals(1, post("q", 1).size(), "one more fits");

    messages(kvdb)
        .deleteMessages(DeleteMessagesRequest.newBuilder().setQueue("q").addAllIds(ids).build());
    awaitUsage(1, 1);
    assertEquals(3, post("q", 1, 1, 1).size(), "deleting makes room again");
  }

  @Test
  void storedBytesBeyondTheQuotaAreRefused() throws InterruptedException {
    setQuota(quota().setMaxBytes(100).build());
    post("q", 60);
    awaitUsage(1, 60);

    RetryInfo retry = overQuota("max_bytes", () -> post("q", 50));
    assertEquals(
        Duration.ofMillis(COLLECT_MS + REFRESH_MS),
        Duration.ofSeconds(retry.getRetryDelay().getSeconds(), retry.getRetryDelay().getNanos()),
        "retry once the usage is measured again");
    assertEquals(1, total("q"));
    post("q", 30);

    setQuota(Quota.getDefaultInstance());
    post("q", 1000);
  }

  @Test
  void channelsBeyondTheQuotaAreRefusedExactly() {
    setQuota(quota().setMaxChannels(1).build());
    var broker =
        BrokerServiceGrpc.newBlockingStub(kvdb.channel()).withDeadlineAfter(10, TimeUnit.SECONDS);
    Supplier<PublishRequest.Builder> publish =
        () -> PublishRequest.newBuilder().setPayload(ByteString.copyFromUtf8("x"));
    broker.publish(publish.get().setChannel("x").build());
    broker.publish(publish.get().setChannel("x").build());
    overQuota("max_channels", () -> broker.publish(publish.get().setChannel("y").build()));
    assertEquals(
        1,
        admin()
            .getQuota(GetQuotaRequest.newBuilder().setProject(project).build())
            .getUsage()
            .getChannels());

    setQuota(Quota.getDefaultInstance());
    broker.publish(publish.get().setChannel("y").build());
  }

  @Test
  void callsBeyondTheRateAreRefusedWithWhenToRetryAndOtherProjectsGoOn() throws Throwable {
    setQuota(quota().setRequestsPerSecond(2).setBurst(2).build());
    KvdbClient other = client(KvdbTarget.freshProject());
    Executable list = () -> queues(kvdb).listQueues(ListQueuesRequest.getDefaultInstance());
    list.execute();
    list.execute();

    RetryInfo retry = overQuota("requests_per_second", list);
    Duration delay =
        Duration.ofSeconds(retry.getRetryDelay().getSeconds(), retry.getRetryDelay().getNanos());
    assertTrue(
        !delay.isNegative() && !delay.isZero() && delay.compareTo(Duration.ofMillis(500)) <= 0,
        "a token every 500 ms: " + delay);
    for (int i = 0; i < 20; i++) {
      queues(other).listQueues(ListQueuesRequest.getDefaultInstance());
    }

    Thread.sleep(delay.toMillis());
    list.execute();

    setQuota(Quota.getDefaultInstance());
    for (int i = 0; i < 20; i++) {
      list.execute();
    }
  }

  @Test
  void gatewaysShareOneBucket() throws Throwable {
    setQuota(quota().setRequestsPerSecond(1).setBurst(2).build());
    try (Gateway second =
        KvdbTarget.ownGateway(
            "--collect-interval-ms", Long.toString(COLLECT_MS),
            "--quota-refresh-ms", Long.toString(REFRESH_MS))) {
      KvdbClient there = client(project, "127.0.0.1:" + second.port());
      Executable here = () -> queues(kvdb).listQueues(ListQueuesRequest.getDefaultInstance());
      here.execute();
      queues(there).listQueues(ListQueuesRequest.getDefaultInstance());
      overQuota("requests_per_second", here);
      overQuota(
          "requests_per_second",
          () -> queues(there).listQueues(ListQueuesRequest.getDefaultInstance()));
    }
  }

  @Test
  void quotasAreValidatedFieldByFieldAndReadBackWithUsage() {
    for (var bad :
        List.of(
            new Object[] {"quota.max_queues", quota().setMaxQueues(-1)},
            new Object[] {"quota.max_messages", quota().setMaxMessages(Long.MIN_VALUE)},
            new Object[] {"quota.max_bytes", quota().setMaxBytes(Long.MAX_VALUE)},
            new Object[] {"quota.max_channels", quota().setMaxChannels(1_000_001)},
            new Object[] {"quota.requests_per_second", quota().setRequestsPerSecond(-5)},
            new Object[] {"quota.burst", quota().setBurst(3)})) {
      StatusRuntimeException failure =
          assertThrows(
              StatusRuntimeException.class, () -> setQuota(((Quota.Builder) bad[1]).build()));
      assertEquals(Status.Code.INVALID_ARGUMENT, failure.getStatus().getCode());
      assertEquals(bad[0], fieldOf(failure));
    }
    StatusRuntimeException badProject =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                admin()
                    .setQuota(
                        SetQuotaRequest.newBuilder()
                            .setProject("no/slashes")
                            .setQuota(Quota.getDefaultInstance())
                            .build()));
    assertEquals("project", fieldOf(badProject));

    Quota quota =
        quota()
            .setMaxQueues(5)
            .setMaxMessages(6)
            .setMaxBytes(7)
            .setMaxChannels(8)
            .setRequestsPerSecond(1000)
            .setBurst(2000)
            .build();
    setQuota(quota);
    create("q");
    var got = admin().getQuota(GetQuotaRequest.newBuilder().setProject(project).build());
    assertEquals(quota, got.getQuota());
    assertEquals(1, got.getUsage().getQueues());
  }

  private static String fieldOf(StatusRuntimeException failure) {
    try {
      for (var detail : StatusProto.fromThrowable(failure).getDetailsList()) {
        if (detail.is(BadRequest.class)) {
          return detail.unpack(BadRequest.class).getFieldViolations(0).getField();
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    return null;
  }
}
