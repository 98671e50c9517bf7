package io.kvdb.gateway.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Optional;

/**
 * Puts the caller's {@link ClientCertificate} (verified by the TLS handshake) in the gRPC context;
 * a call without one passes unchanged. It decides nothing.
 */
public final class ClientCertificateInterceptor implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return Optional.ofNullable(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION))
        .flatMap(ClientCertificate::of)
        .map(
            certificate ->
                Contexts.interceptCall(
                    Context.current().withValue(ClientCertificate.KEY, certificate),
                    call,
                    headers,
                    next))
        .orElseGet(() -> next.startCall(call, headers));
  }
}
