package io.kvdb.gateway.api;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;

/**
 * Validates the {@code x-project-id} and {@code client-id} headers and exposes them to services.
 */
public final class ProjectInterceptor implements ServerInterceptor {
  private static final int MAX_CLIENT_ID = 256;

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String project = headers.get(CallContext.PROJECT_HEADER);
    String clientId = headers.get(CallContext.CLIENT_ID_HEADER);
    try {
      if (project != null) {
        Names.project(CallContext.PROJECT_HEADER.name(), project);
      }
      if (clientId != null && clientId.length() > MAX_CLIENT_ID) {
        throw new InvalidArgumentException(
            CallContext.CLIENT_ID_HEADER.name(),
            "must be at most " + MAX_CLIENT_ID + " characters");
      }
    } catch (InvalidArgumentException invalid) {
      StatusRuntimeException failure = ErrorMapper.toStatus(invalid);
      call.close(failure.getStatus(), failure.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    Context context =
        Context.current()
            .withValue(CallContext.PROJECT, project)
            .withValue(CallContext.CLIENT_ID, clientId);
    return Contexts.interceptCall(context, call, headers, next);
  }
}
