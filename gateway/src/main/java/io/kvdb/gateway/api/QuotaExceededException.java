package io.kvdb.gateway.api;

import java.time.Duration;
import java.util.Optional;

/**
 * A call a project's quota refuses: RESOURCE_EXHAUSTED with a {@code google.rpc.QuotaFailure} and,
 * when waiting helps, a {@code google.rpc.RetryInfo}.
 *
 * @param quota the quota's field name in {@code kvdb.v1.Quota}, such as {@code max_queues}
 * @param retryAfter how long until a retry may pass, when known
 */
public final class QuotaExceededException extends RuntimeException {
  private final String project;
  private final String quota;
  private final transient Optional<Duration> retryAfter;

  public QuotaExceededException(
      String project, String quota, String problem, Optional<Duration> retryAfter) {
    super(quota + ": " + problem);
    this.project = project;
    this.quota = quota;
    this.retryAfter = retryAfter;
  }

  public String project() {
    return project;
  }

  public String quota() {
    return quota;
  }

  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
