package io.kvdb.client;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/** Runs stub calls and turns their failures into {@link KvdbException}. */
final class Calls {
  private Calls() {}

  static <T> T blocking(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException error) {
      throw KvdbException.from(error);
    }
  }

  static <Q, R> CompletableFuture<R> async(BiConsumer<Q, StreamObserver<R>> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    method.accept(request, new StreamObserver<>() {
      private R reply;

      @Override
      public void onNext(R value) {
        reply = value;
      }

      @Override
      public void onError(Throwable error) {
        result.completeExceptionally(KvdbException.from(error));
      }

      @Override
      public void onCompleted() {
        result.complete(reply);
      }
    });
    return result;
  }
}
