package io.kvdb.gateway.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Cuts a status message past {@link #MAX_CHARS}. Some services put the request in their message
 * (grpc's health service answers "unknown service " and the name asked for), and a trailer past the
 * client's metadata limit (8 KiB in grpc-java) fails the call there as INTERNAL instead of
 * delivering the status.
 */
public final class StatusMessageLimit implements ServerInterceptor {
  /**
   * Enough for every message KVDB writes; percent-encoded on the wire (up to 12 bytes a character
   * for 4-byte UTF-8), still within 8 KiB.
   */
  public static final int MAX_CHARS = 512;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return next.startCall(
        new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            super.close(bounded(status), trailers);
          }
        },
        headers);
  }

  static Status bounded(Status status) {
    String message = status.getDescription();
    if (message == null || message.length() <= MAX_CHARS) {
      return status;
    }
    return status.withDescription(message.substring(0, MAX_CHARS) + "... (cut)");
  }
}
