package io.kvdb.gateway.quotas;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.gateway.api.QuotaExceededException;
import io.kvdb.lua.quotas.Quota;
import io.kvdb.lua.quotas.Quotas;
import io.kvdb.lua.quotas.Tokens;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts each call against its project's requests_per_second quota, a token bucket in Redis shared
 * by all gateways (quotas/take). To spare a round trip per call, a gateway takes tokens in leases
 * of at most a tenth of a second's worth and spends them locally; a lease unspent after {@link
 * #LEASE_LIFE} is dropped. So over any window a project gets at most {@code rate * window + burst +
 * gateways * lease} calls, and a gateway never holds tokens long enough to shift them far in time.
 * A project without a rate quota pays nothing but the cache's periodic read.
 */
public final class RateLimiter implements ServerInterceptor {
  private static final Duration LEASE_LIFE = Duration.ofMillis(100);
  private static final int MAX_PROJECTS = 10_000;

  private final QuotaCache cache;
  private final Quotas quotas;
  private final Map<String, Lease> leases = new ConcurrentHashMap<>();

  public RateLimiter(QuotaCache cache, Quotas quotas) {
    this.cache = cache;
    this.quotas = quotas;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    try {
      String project = CallContext.project();
      Quota quota = cache.get(project).quota();
      if (quota.limitsRate()) {
        take(project, quota);
      }
    } catch (RuntimeException refused) {
      StatusRuntimeException failure = ErrorMapper.toStatus(refused);
      call.close(failure.getStatus(), failure.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /** Spends one of the project's tokens; QuotaExceededException with the wait when none is. */
  void take(String project, Quota quota) {
    if (leases.size() >= MAX_PROJECTS) {
      leases.clear();
    }
    Lease lease = leases.computeIfAbsent(project, ignored -> new Lease());
    long waitMs = lease.take(project, quota);
    if (waitMs >= 0) {
      throw new QuotaExceededException(
          project,
          "requests_per_second",
          "the project may make " + quota.requestsPerSecond() + " calls per second",
          Optional.of(Duration.ofMillis(Math.max(1, waitMs))));
    }
  }

  /**
   * The tokens this gateway holds for one project, and, once Redis said the bucket is empty, until
   * when it is: calls refused in between cost no Redis call, so a flood of refused calls costs
   * Redis one call per token's wait.
   */
  private final class Lease {
    private long tokens;
    private long expiresNanos;
    private long emptyUntilNanos;

    /** -1 when a token was spent, else the ms until Redis expects one. */
    synchronized long take(String project, Quota quota) {
      long now = System.nanoTime();
      if (tokens > 0 && now - expiresNanos < 0) {
        tokens--;
        return -1;
      }
      if (now - emptyUntilNanos < 0) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(emptyUntilNanos - now));
      }
      Tokens granted = quotas.take(project, leaseSize(quota));
      if (granted.granted() == 0) {
        tokens = 0;
        emptyUntilNanos = now + TimeUnit.MILLISECONDS.toNanos(granted.waitMs());
        return granted.waitMs();
      }
      tokens = granted.granted() - 1;
      expiresNanos = now + LEASE_LIFE.toNanos();
      return -1;
    }
  }

  /** A tenth of a second's worth of calls, within the burst, at least one. */
  static long leaseSize(Quota quota) {
    long burst = quota.burst() > 0 ? quota.burst() : quota.requestsPerSecond();
    long tenth = quota.requestsPerSecond() * LEASE_LIFE.toMillis() / 1000;
    return Math.max(1, Math.min(burst, tenth));
  }
}
