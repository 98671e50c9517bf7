package io.kvdb.gateway.stats;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.Keys;
import io.kvdb.lua.redis.RedisServerProcess;
import io.kvdb.lua.testing.Eventually;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.RecordRequest;
import io.kvdb.proto.v1.StatsServiceGrpc;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The roll-up job finds its projects in Redis, so a Redis that lost its data (a restart without
 * persistence, FLUSHALL) still has its new statistics rolled up: the write path registers again.
 */
class StatsRegistryTest {
  private static final String PROJECT = "registry";

  @Test
  void aProjectRecordingAfterRedisLostItsDataIsRolledUpAgain() throws Exception {
    try (RedisServerProcess redis = TestRedis.startPrivate();
        JedisPooled jedis = new JedisPooled(redis.uri());
        Gateway gateway =
            Gateway.start(
                GatewayConfig.parse(
                    "--port",
                    "0",
                    "--rollup-interval-ms",
                    "100",
                    "--redis",
                    redis.uri().toString()))) {
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
      try {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), PROJECT);
        var stats =
            StatsServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

        stats.record(record(hour));
        Eventually.await("the first hour is rolled up", () -> jedis.exists(hourBucket(hour)));

        jedis.flushAll();
        stats.record(record(hour.plus(1, ChronoUnit.HOURS)));

        Eventually.await(
            "an hour recorded after the flush is rolled up",
            () -> jedis.exists(hourBucket(hour.plus(1, ChronoUnit.HOURS))));
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static RecordRequest record(Instant hour) {
    return RecordRequest.newBuilder()
        .addInvocations(
            Invocation.newBuilder()
                .setService("svc")
                .setDuration(Duration.newBuilder().setNanos(3_000_000))
                .setTime(Timestamp.newBuilder().setSeconds(hour.getEpochSecond() + 90)))
        .build();
  }

  private static String hourBucket(Instant hour) {
    return Keys.stats(PROJECT) + ":b:h:svc:" + hour.getEpochSecond();
  }
}
