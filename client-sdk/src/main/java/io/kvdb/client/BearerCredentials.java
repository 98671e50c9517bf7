package io.kvdb.client;

import io.grpc.CallCredentials;
import io.grpc.Metadata;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Pattern;

/**
 * Sends {@code authorization: Bearer <token>} with every call, the token from a {@link
 * TokenSupplier}: fetched once, kept while it is fresh, fetched again (once, however many calls are
 * waiting) when {@link #refreshMargin} of its lifetime remains; calls meanwhile still send the old
 * token while it has not expired. Over a connection without TLS it sends nothing to a target other
 * than a loopback address unless allowed.
 */
final class BearerCredentials extends CallCredentials {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration MIN_MARGIN = Duration.ofSeconds(30);
  static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private record Fresh(BearerToken token, Instant refreshAt) {}

  private final TokenSupplier supplier;
  private final boolean allowPlaintext;
  private final Executor fetcher;
  private final Clock clock;
  private final Object lock = new Object();
  private Fresh current;
  private CompletableFuture<Fresh> fetching;
  private Instant nextRefresh = Instant.MIN;

  BearerCredentials(TokenSupplier supplier, boolean allowPlaintext, Executor fetcher, Clock clock) {
    this.supplier = supplier;
    this.allowPlaintext = allowPlaintext;
    this.fetcher = fetcher;
    this.clock = clock;
  }

  /**
   * How long before expiry a token is replaced: a tenth of its lifetime or 30 s, whichever is
   * longer, but at most half its lifetime, so that a short-lived token is not fetched per call.
   */
  static Duration refreshMargin(Duration lifetime) {
    Duration margin = lifetime.dividedBy(10);
    if (margin.compareTo(MIN_MARGIN) < 0) {
      margin = MIN_MARGIN;
    }
    Duration half = lifetime.dividedBy(2);
    return margin.compareTo(half) > 0 ? half : margin;
  }

  @Override
  public void applyRequestMetadata(
      RequestInfo info, Executor appExecutor, MetadataApplier applier) {
    if (info.getSecurityLevel() != SecurityLevel.PRIVACY_AND_INTEGRITY
        && !allowPlaintext
        && !isLoopback(info.getAuthority())) {
      applier.fail(
          Status.UNAUTHENTICATED.withDescription(
              "credentials are not sent without TLS to "
                  + info.getAuthority()
                  + "; use TLS, or setAllowCredentialsOverPlaintext(true)"));
      return;
    }
    Instant now = clock.instant();
    Fresh usable;
    CompletableFuture<Fresh> pending;
    boolean start = false;
    synchronized (lock) {
      usable = current != null && now.isBefore(current.token().expiresAt()) ? current : null;
      boolean due =
          usable == null || (!now.isBefore(usable.refreshAt()) && !now.isBefore(nextRefresh));
      if (due && fetching == null) {
        fetching = new CompletableFuture<>();
        start = true;
      }
      pending = fetching;
    }
    if (start) {
      startFetch(pending);
    }
    if (usable != null) {
      applier.apply(headers(usable.token()));
      return;
    }
    pending.whenComplete(
        (fresh, failure) -> {
          if (failure == null) {
            applier.apply(headers(fresh.token()));
          } else {
            applier.fail(
                Status.UNAUTHENTICATED
                    .withDescription("the token supplier failed; see the cause")
                    .withCause(failure));
          }
        });
  }

  private void startFetch(CompletableFuture<Fresh> result) {
    try {
      fetcher.execute(() -> fetch(result));
    } catch (RejectedExecutionException closed) {
      finish(result, null, closed);
    }
  }

  private void fetch(CompletableFuture<Fresh> result) {
    try {
      BearerToken token = supplier.get();
      Instant now = clock.instant();
      if (token == null || !now.isBefore(token.expiresAt())) {
        throw new IllegalStateException("the token supplier returned no token or an expired one");
      }
      Duration lifetime = Duration.between(now, token.expiresAt());
      finish(result, new Fresh(token, token.expiresAt().minus(refreshMargin(lifetime))), null);
    } catch (Exception | Error failure) {
      finish(result, null, failure);
    }
  }

  private void finish(CompletableFuture<Fresh> result, Fresh fresh, Throwable failure) {
    synchronized (lock) {
      if (fresh != null) {
        current = fresh;
      } else {
        nextRefresh = clock.instant().plus(RETRY_PAUSE);
      }
      fetching = null;
    }
    if (fresh != null) {
      result.complete(fresh);
    } else {
      result.completeExceptionally(failure);
    }
  }

  private static Metadata headers(BearerToken token) {
    Metadata headers = new Metadata();
    headers.put(AUTHORIZATION, "Bearer " + token.value());
    return headers;
  }

  /** Whether an authority ({@code host:port}) names this machine by {@code localhost} or IP. */
  static boolean isLoopback(String authority) {
    if (authority == null) {
      return false;
    }
    String host;
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      host = end < 0 ? authority : authority.substring(1, end);
    } else {
      int colon = authority.indexOf(':');
      host =
          colon >= 0 && colon == authority.lastIndexOf(':')
              ? authority.substring(0, colon)
              : authority;
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4.matcher(host).matches() && !host.contains(":")) {
      return false; // a name other than localhost: resolving it here would cost a lookup
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }
}
