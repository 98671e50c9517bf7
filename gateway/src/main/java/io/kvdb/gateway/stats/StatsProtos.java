package io.kvdb.gateway.stats;

import com.google.protobuf.ByteString;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.lua.stats.Aggregate;
import io.kvdb.lua.stats.KeptInvocation;
import io.kvdb.lua.stats.Period;
import io.kvdb.proto.v1.StatsBucket;
import java.time.Duration;
import java.time.Instant;

/** Statistics records to their proto form. */
final class StatsProtos {
  private StatsProtos() {}

  static StatsBucket bucket(Instant start, long seconds, Aggregate figures) {
    return StatsBucket.newBuilder()
        .setStart(ProtoTime.timestamp(start))
        .setCount(figures.count())
        .setErrors(figures.errors())
        .setRate(seconds == 0 ? 0 : (double) figures.count() / seconds)
        .setMeanUs(figures.meanMicros())
        .setMinUs(figures.minMicros())
        .setMaxUs(figures.maxMicros())
        .setP50Us(figures.percentileMicros(0.50))
        .setP90Us(figures.percentileMicros(0.90))
        .setP99Us(figures.percentileMicros(0.99))
        .setTotalUs(figures.sumMicros())
        .build();
  }

  static StatsBucket bucket(Period period, Aggregate figures) {
    return bucket(Instant.ofEpochSecond(period.start()), period.end() - period.start(), figures);
  }

  static io.kvdb.proto.v1.Sample sample(KeptInvocation sample) {
    return io.kvdb.proto.v1.Sample.newBuilder()
        .setTime(ProtoTime.timestamp(sample.time()))
        .setDuration(ProtoTime.duration(Duration.ofNanos(sample.durationMicros() * 1000)))
        .setError(sample.error())
        .setCorrelationId(sample.correlationId())
        .setRequest(ByteString.copyFrom(sample.request()))
        .setResponse(ByteString.copyFrom(sample.response()))
        .setTruncated(sample.truncated())
        .build();
  }
}
