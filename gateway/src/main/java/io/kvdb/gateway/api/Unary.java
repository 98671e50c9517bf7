package io.kvdb.gateway.api;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Completes a unary call with what {@code body} returns, or with the mapped error status. */
public final class Unary {
  private Unary() {}

  public static <T> void respond(StreamObserver<T> observer, Supplier<T> body) {
    T reply;
    try {
      reply = body.get();
    } catch (RuntimeException error) {
      observer.onError(ErrorMapper.toStatus(error));
      return;
    }
    observer.onNext(reply);
    observer.onCompleted();
  }
}
