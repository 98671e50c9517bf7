package io.kvdb.gateway.api;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a request body (a unary request or any frame of a stream) that does not parse with
 * INVALID_ARGUMENT, ending only that call. grpc-java parses before any interceptor sees the message
 * and answers a parse failure with UNKNOWN and a logged stack trace, so the parsing itself is
 * replaced: each method gets a {@link LenientMarshaller}, and its handler closes the call when one
 * arrives, then tells the service the call was cancelled so it releases what it holds, and drops
 * whatever the service still sends.
 */
public final class UnparsableRequests {
  private static final Logger log = LoggerFactory.getLogger(UnparsableRequests.class);

  private UnparsableRequests() {}

  /** {@code service} with every method's requests parsed leniently and refused when unparsable. */
  public static ServerServiceDefinition refused(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    var methods = service.getMethods().stream().map(UnparsableRequests::lenient).toList();
    methods.forEach(method -> descriptor.addMethod(method.getMethodDescriptor()));
    ServerServiceDefinition.Builder lenient = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(lenient::addMethod);
    return lenient.build();
  }

  private static <Q, R> ServerMethodDefinition<Object, R> lenient(
      ServerMethodDefinition<Q, R> definition) {
    MethodDescriptor<Q, R> method = definition.getMethodDescriptor();
    MethodDescriptor<Object, R> lenient =
        method.toBuilder(
                new LenientMarshaller<>(method.getRequestMarshaller()),
                method.getResponseMarshaller())
            .build();
    ServerCallHandler<Q, R> next = definition.getServerCallHandler();
    return ServerMethodDefinition.create(
        lenient,
        (call, headers) -> {
          RefusableCall<Q, R> refusable = new RefusableCall<>(call, method);
          return new Listener<>(next.startCall(refusable, headers), refusable);
        });
  }

  /** The call as the service sees it: typed as the method, and mute once refused. */
  private static final class RefusableCall<Q, R> extends ForwardingServerCall<Q, R> {
    private final ServerCall<Object, R> call;
    private final MethodDescriptor<Q, R> method;
    private boolean closed;
    private boolean refused;

    RefusableCall(ServerCall<Object, R> call, MethodDescriptor<Q, R> method) {
      this.call = call;
      this.method = method;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected ServerCall<Q, R> delegate() {
      return (ServerCall<Q, R>) (ServerCall<?, R>) call;
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }

    /** Ends the call for bad input, unless it already ended. */
    synchronized void refuse(InvalidArgumentException problem) {
      refused = true;
      if (!closed) {
        closed = true;
        StatusRuntimeException status = ErrorMapper.toStatus(problem);
        call.close(status.getStatus(), status.getTrailers());
      }
    }

    synchronized boolean isRefused() {
      return refused;
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!refused) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!refused) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!refused) {
        closed = true;
        super.close(status, trailers);
      }
    }

    @Override
    public synchronized boolean isReady() {
      return !refused && super.isReady();
    }

    @Override
    public synchronized boolean isCancelled() {
      return refused || super.isCancelled();
    }
  }

  /**
   * Hands parsed requests to the service's listener; refuses the call at the first unparsable one.
   */
  private static final class Listener<Q> extends ServerCall.Listener<Object> {
    private final ServerCall.Listener<Q> service;
    private final RefusableCall<Q, ?> call;

    Listener(ServerCall.Listener<Q> service, RefusableCall<Q, ?> call) {
      this.service = service;
      this.call = call;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onMessage(Object message) {
      if (call.isRefused()) {
        return;
      }
      if (message instanceof LenientMarshaller.Unparsable unparsable) {
        log.debug(
            "refused {}: {}",
            call.getMethodDescriptor().getFullMethodName(),
            unparsable.problem().getMessage());
        call.refuse(unparsable.problem());
        service.onCancel();
        return;
      }
      service.onMessage((Q) message);
    }

    @Override
    public void onHalfClose() {
      if (!call.isRefused()) {
        service.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      if (!call.isRefused()) {
        service.onCancel();
      }
    }

    @Override
    public void onComplete() {
      if (!call.isRefused()) {
        service.onComplete();
      }
    }

    @Override
    public void onReady() {
      if (!call.isRefused()) {
        service.onReady();
      }
    }
  }
}
