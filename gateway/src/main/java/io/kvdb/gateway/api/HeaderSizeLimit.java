package io.kvdb.gateway.api;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * Refuses a call whose headers pass {@link #MAX_BYTES} with INVALID_ARGUMENT naming the largest.
 * HTTP/2 itself only bounds them per connection, with the limit the transport advertises in
 * SETTINGS_MAX_HEADER_LIST_SIZE ({@link #TRANSPORT_MAX_BYTES}): a client that honours it (grpc-java
 * does) fails a call past it itself, before sending, while Netty answers a header list past it with
 * HTTP 431 for that stream, but an encoded header block past 1.25 times it
 * (Http2CodecUtil.calculateMaxHeaderListSizeGoAway) with GOAWAY, failing every call on the
 * connection. So the transport limit is set far above this one, and this check refuses the call
 * alone.
 */
public final class HeaderSizeLimit implements ServerInterceptor {
  /** gRPC's customary limit, as HTTP/2 counts it: each name and value, plus 32 bytes an entry. */
  public static final int MAX_BYTES = 8 * 1024;

  /**
   * What the transport accepts. A connection assembles one header block at a time (HTTP/2 forbids
   * interleaving them), and this check drops a refused call's headers at once, so a connection
   * holds at most about 1.25 MiB encoded plus 1 MiB decoded for headers: no more than the 1 MiB
   * flow-control window already lets it buffer in messages.
   */
  public static final int TRANSPORT_MAX_BYTES = 1024 * 1024;

  private static final int ENTRY_OVERHEAD = 32;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    int total = 0;
    int largest = -1;
    String largestName = "";
    for (String name : headers.keys()) {
      int size = size(headers, name);
      total += size;
      if (size > largest) {
        largest = size;
        largestName = name;
      }
    }
    if (total <= MAX_BYTES) {
      return next.startCall(call, headers);
    }
    StatusRuntimeException refused =
        ErrorMapper.toStatus(
            new InvalidArgumentException(
                largestName,
                "headers may total "
                    + MAX_BYTES
                    + " bytes, got "
                    + total
                    + " ("
                    + largestName
                    + ": "
                    + largest
                    + ")"));
    call.close(refused.getStatus(), refused.getTrailers());
    return new ServerCall.Listener<>() {};
  }

  private static int size(Metadata headers, String name) {
    int size = 0;
    if (name.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      for (byte[] value : headers.getAll(Metadata.Key.of(name, Metadata.BINARY_BYTE_MARSHALLER))) {
        size += name.length() + value.length + ENTRY_OVERHEAD;
      }
    } else {
      for (String value : headers.getAll(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))) {
        size += name.length() + value.length() + ENTRY_OVERHEAD;
      }
    }
    return size;
  }
}
