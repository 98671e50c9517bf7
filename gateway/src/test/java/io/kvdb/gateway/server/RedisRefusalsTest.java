package io.kvdb.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.QueueServiceGrpc.QueueServiceBlockingStub;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A real Redis refusing "not now" (a script running too long, a replica refusing writes) makes
 * calls answer UNAVAILABLE with reason UNAVAILABLE, which clients retry, logged in one line without
 * a stack trace; calls succeed again once the state has passed. ErrorMapperTest covers the refusals
 * one standalone Redis cannot produce.
 */
class RedisRefusalsTest {
  private final ListAppender<ILoggingEvent> errorLog = new ListAppender<>();
  private ManagedChannel channel;

  @BeforeEach
  void captureTheErrorLog() {
    errorLog.start();
    errorMapperLogger().addAppender(errorLog);
  }

  @AfterEach
  void release() {
    errorMapperLogger().detachAppender(errorLog);
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  @Test
  void aScriptRunningPastTheBusyThresholdMakesCallsUnavailableUntilKilled() throws Exception {
    try (RedisServerProcess redis = TestRedis.startPrivate();
        Gateway gateway = Gateway.start(GatewayConfig.parse("--port", "0", "--redis", uri(redis)));
        Jedis admin = new Jedis(redis.uri())) {
      admin.configSet("lua-time-limit", "50"); // busy-reply-threshold on 7, which knows both
      CompletableFuture<Void> endless =
          CompletableFuture.runAsync(
              () -> {
                // Blocked until SCRIPT KILL: a socket timeout well past the test's own waits.
                try (Jedis looping = new Jedis("127.0.0.1", redis.uri().getPort(), 30_000)) {
                  looping.eval("local i = 0 while true do i = i + 1 end", 0);
                } catch (JedisDataException killed) {
                  // SCRIPT KILL ends it with an error reply: expected.
                }
              });
      Eventually.await("Redis answers BUSY", () -> answersBusy(admin));
      QueueServiceBlockingStub queues = queues(gateway);
      try {
        assertUnavailableInOneLogLine(
            () -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build()), "BUSY");
      } finally {
        admin.scriptKill();
        endless.get(10, TimeUnit.SECONDS);
      }
      assertEquals(
          Status.Code.NOT_FOUND,
          codeOf(() -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build())),
          "served again once the script is killed");
    }
  }

  @Test
  void aWriteToAReplicaIsUnavailableUntilItIsPromoted() throws Exception {
    try (RedisServerProcess master = TestRedis.startPrivate();
        RedisServerProcess replica = TestRedis.startPrivate();
        Gateway gateway =
            Gateway.start(GatewayConfig.parse("--port", "0", "--redis", uri(replica)));
        Jedis admin = new Jedis(replica.uri());
        Jedis source = new Jedis(master.uri())) {
      // A diskless sync, so that neither writes an RDB file into the working directory.
      source.configSet("repl-diskless-sync", "yes");
      source.configSet("repl-diskless-sync-delay", "0");
      admin.configSet("repl-diskless-load", "swapdb");
      admin.replicaof("127.0.0.1", master.uri().getPort());
      Eventually.await(
          "the replica is in sync",
          () -> admin.info("replication").contains("master_link_status:up"));
      QueueServiceBlockingStub queues = queues(gateway);
      CreateQueueRequest create = CreateQueueRequest.newBuilder().setName("orders").build();

      assertUnavailableInOneLogLine(() -> queues.createQueue(create), "READONLY");
      assertEquals(
          Status.Code.NOT_FOUND,
          codeOf(() -> queues.getQueue(GetQueueRequest.newBuilder().setName("orders").build())),
          "a replica still serves reads");

      admin.replicaofNoOne();
      assertEquals(Status.Code.OK, codeOf(() -> queues.createQueue(create)), "promoted: writes");
    }
  }

  private void assertUnavailableInOneLogLine(Runnable call, String redisCode)
      throws InvalidProtocolBufferException {
    errorLog.list.clear();
    StatusRuntimeException refused = failureOf(call);
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.toString());
    assertEquals(ErrorReason.UNAVAILABLE.name(), reasonOf(refused), refused.toString());
    List<ILoggingEvent> lines = List.copyOf(errorLog.list);
    assertEquals(1, lines.size(), "one log line per refused call: " + lines);
    assertNull(lines.get(0).getThrowableProxy(), "no stack trace: " + lines);
    assertTrue(
        lines.get(0).getFormattedMessage().contains(redisCode),
        "the line names Redis's answer: " + lines);
  }

  private static boolean answersBusy(Jedis admin) {
    try {
      admin.ping();
      return false;
    } catch (JedisBusyException busy) {
      return true;
    }
  }

  private QueueServiceBlockingStub queues(Gateway gateway) {
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    return QueueServiceGrpc.newBlockingStub(channel);
  }

  private static StatusRuntimeException failureOf(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException failure) {
      return failure;
    }
    throw new AssertionError("the call succeeded");
  }

  private static Status.Code codeOf(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException failure) {
      return failure.getStatus().getCode();
    }
  }

  private static String reasonOf(StatusRuntimeException status)
      throws InvalidProtocolBufferException {
    for (Any detail : StatusProto.fromThrowable(status).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class).getReason();
      }
    }
    throw new AssertionError("no ErrorInfo in " + status);
  }

  private static String uri(RedisServerProcess redis) {
    return redis.uri().toString();
  }

  private static Logger errorMapperLogger() {
    return (Logger) LoggerFactory.getLogger(ErrorMapper.class);
  }
}
