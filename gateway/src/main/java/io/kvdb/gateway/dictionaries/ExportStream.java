package io.kvdb.gateway.dictionaries;

import io.grpc.stub.ServerCallStreamObserver;
import io.kvdb.gateway.api.ErrorMapper;
import io.kvdb.proto.v1.DictionaryChunk;

/**
 * Feeds an {@link Exporter} into an Export call at the pace the client reads: the next page is read
 * from Redis only while the call is ready, so a slow client costs the gateway about one chunk of
 * memory rather than the whole dictionary. gRPC runs the ready and cancel handlers one at a time.
 */
final class ExportStream implements Runnable {
  private final Exporter exporter;
  private final ServerCallStreamObserver<DictionaryChunk> call;
  private boolean over;

  private ExportStream(Exporter exporter, ServerCallStreamObserver<DictionaryChunk> call) {
    this.exporter = exporter;
    this.call = call;
  }

  /** Starts streaming; call from the service method, before it returns. */
  static void start(Exporter exporter, ServerCallStreamObserver<DictionaryChunk> call) {
    ExportStream stream = new ExportStream(exporter, call);
    call.setOnCancelHandler(() -> stream.over = true);
    call.setOnReadyHandler(stream);
  }

  @Override
  public void run() {
    try {
      while (!over && call.isReady()) {
        if (!exporter.hasNext()) {
          over = true;
          call.onCompleted();
          return;
        }
        call.onNext(exporter.next().toProto());
      }
    } catch (RuntimeException failure) {
      over = true;
      call.onError(ErrorMapper.toStatus(failure));
    }
  }
}
