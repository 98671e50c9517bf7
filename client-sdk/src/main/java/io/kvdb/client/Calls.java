package io.kvdb.client;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/**
 * Runs stub calls. Every SDK call is made once, asynchronously ({@link #unary}); its blocking form
 * {@link #await awaits} the same future, so both fail with the same {@link KvdbException}.
 */
final class Calls {
  private Calls() {}

  /**
   * Starts a unary (or client-streamed, single-reply) call: the future completes with the reply, or
   * exceptionally with a {@link KvdbException}; cancelling it cancels the call.
   */
  static <Q, R> CompletableFuture<R> unary(
      BiConsumer<Q, io.grpc.stub.StreamObserver<R>> method, Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    method.accept(
        request,
        new ClientResponseObserver<Q, R>() {
          private R reply;

          @Override
          public void beforeStart(ClientCallStreamObserver<Q> call) {
            result.whenComplete(
                (value, failure) -> {
                  if (result.isCancelled()) {
                    call.cancel("cancelled by the caller", null);
                  }
                });
          }

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

  /**
   * The blocking form of an async call: its value, or its failure thrown as it is (a {@link
   * KvdbException}, or an SDK exception such as {@link LockNotAcquiredException}). An interrupt
   * cancels the call.
   */
  static <T> T await(CompletableFuture<T> call) {
    try {
      return call.get();
    } catch (ExecutionException failed) {
      if (failed.getCause() instanceof RuntimeException known) {
        throw known;
      }
      throw KvdbException.from(failed.getCause());
    } catch (InterruptedException interrupted) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw KvdbException.from(
          Status.CANCELLED
              .withDescription("interrupted")
              .withCause(interrupted)
              .asRuntimeException());
    }
  }
}
