package io.kvdb.gateway.auth;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.ClientCertificate;
import io.kvdb.gateway.api.ErrorMapper;
import java.net.SocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a call through only when its credential is good, covers the {@code x-project-id} project and
 * holds the role {@link MethodRoles} names for the method; then puts the {@link Grant} in the
 * context. Streams are checked once, when they start. It must run after the {@link
 * io.kvdb.gateway.api.ClientCertificateInterceptor} (whose certificate it reads) and the {@link
 * io.kvdb.gateway.api.ProjectInterceptor} (whose validated project it reads).
 */
public final class AuthInterceptor implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(AuthInterceptor.class);

  private final Authenticator authenticator;

  public AuthInterceptor(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (MethodRoles.isPublic(method)) {
      return next.startCall(call, headers);
    }
    String project = CallContext.project();
    SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    Grant grant;
    try {
      grant = authenticator.authenticate(headers, ClientCertificate.current());
    } catch (AuthenticationException refused) {
      Audit.record("anonymous", method, project, peer, "UNAUTHENTICATED", refused.getMessage());
      return refuse(call, ErrorMapper.unauthenticated());
    } catch (RuntimeException lookupFailed) {
      // Redis unreachable during a key lookup: UNAVAILABLE, which clients retry.
      return refuse(call, ErrorMapper.toStatus(lookupFailed));
    }
    Optional<Role> required = MethodRoles.required(method);
    if (required.isEmpty()) {
      log.error("{} is not in MethodRoles: refused to everyone until it is classified", method);
    }
    if (required.isEmpty() || !grant.covers(project) || !grant.holds(required.get())) {
      Audit.record(
          grant.principal(),
          method,
          project,
          peer,
          "PERMISSION_DENIED",
          required.map(role -> "needs " + role.label()).orElse("unclassified method"));
      return refuse(call, ErrorMapper.permissionDenied());
    }
    ServerCall<Q, R> audited =
        required.get() == Role.ADMIN ? new Audited<>(call, grant, project, peer) : call;
    return Contexts.interceptCall(
        Context.current().withValue(Grant.KEY, grant), audited, headers, next);
  }

  private static <Q> ServerCall.Listener<Q> refuse(
      ServerCall<Q, ?> call, StatusRuntimeException failure) {
    call.close(failure.getStatus(), failure.getTrailers());
    return new ServerCall.Listener<>() {};
  }

  /** An administrative call, audited when it ends with its outcome. */
  private static final class Audited<Q, R>
      extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private final Grant grant;
    private final String project;
    private final SocketAddress peer;

    Audited(ServerCall<Q, R> call, Grant grant, String project, SocketAddress peer) {
      super(call);
      this.grant = grant;
      this.project = project;
      this.peer = peer;
    }

    @Override
    public void close(Status status, Metadata trailers) {
      Audit.record(
          grant.principal(),
          getMethodDescriptor().getFullMethodName(),
          project,
          peer,
          status.isOk() ? "OK" : status.getCode().name(),
          null);
      super.close(status, trailers);
    }
  }
}
