package io.kvdb.gateway.dictionaries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.kvdb.gateway.api.CallContext;
import io.kvdb.gateway.api.ProjectInterceptor;
import io.kvdb.lua.dictionaries.Dictionaries;
import io.kvdb.lua.dictionaries.DictionaryEntry;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.testing.WithRedis;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.DictionaryServiceGrpc;
import io.kvdb.proto.v1.ExportRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/**
 * Export follows the client's flow control: a client that asks for nothing gets nothing pushed into
 * the gateway's buffers, and one that reads slowly still gets the whole dictionary.
 */
@WithRedis
class ExportFlowControlTest {
  private static final int SYSTEMS = 12;
  private static final int ENTRIES = 1000;

  private final Dictionaries dictionaries;

  ExportFlowControlTest(UnifiedJedis redis, ScriptRegistry scripts) {
    this.dictionaries = new Dictionaries(redis, scripts);
  }

  /** Counts the messages the server hands to gRPC, and marks when the service method returned. */
  private static final class Counting implements ServerInterceptor {
    final AtomicInteger sent = new AtomicInteger();
    final CountDownLatch handlerReturned = new CountDownLatch(1);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      ServerCall<Q, R> counted =
          new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
              sent.incrementAndGet();
              super.sendMessage(message);
            }
          };
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
          next.startCall(counted, headers)) {
        @Override
        public void onHalfClose() {
          super.onHalfClose();
          handlerReturned.countDown();
        }
      };
    }
  }

  @Test
  void aClientThatAsksForNothingGetsNothingBufferedAndASlowOneGetsEverything() throws Exception {
    String project = "dict-flow-" + UUID.randomUUID();
    String padding = "x".repeat(200);
    for (int s = 0; s < SYSTEMS; s++) {
      List<DictionaryEntry> entries = new ArrayList<>();
      for (int i = 0; i < ENTRIES; i++) {
        entries.add(new DictionaryEntry("S" + s, "k", padding + i));
      }
      dictionaries.putEntries(project, entries);
    }
    Counting counting = new Counting();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(
                    new DictionaryService(dictionaries), counting, new ProjectInterceptor()))
            .build()
            .start();
    // A small window that stays small: the transport takes little before the client reads.
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .flowControlWindow(64 * 1024)
            .build();
    try {
      Metadata headers = new Metadata();
      headers.put(CallContext.PROJECT_HEADER, project);
      CompletableFuture<Void> done = new CompletableFuture<>();
      List<DictionaryChunk> received = new ArrayList<>();
      AtomicReference<ClientCallStreamObserver<ExportRequest>> call = new AtomicReference<>();
      ClientResponseObserver<ExportRequest, DictionaryChunk> reader =
          new ClientResponseObserver<>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<ExportRequest> started) {
              call.set(started);
              started.disableAutoRequestWithInitial(0);
            }

            @Override
            public void onNext(DictionaryChunk chunk) {
              synchronized (received) {
                received.add(chunk);
              }
              call.get().request(1);
            }

            @Override
            public void onError(Throwable error) {
              done.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
              done.complete(null);
            }
          };
      DictionaryServiceGrpc.newStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .export(ExportRequest.getDefaultInstance(), reader);

      assertTrue(
          counting.handlerReturned.await(10, TimeUnit.SECONDS), "the export call never started");
      int pushedUnasked = counting.sent.get();
      assertTrue(
          pushedUnasked <= 2,
          pushedUnasked + " of " + SYSTEMS + " chunks pushed to a client that asked for none");

      call.get().request(1);
      done.get(30, TimeUnit.SECONDS);
      long entries;
      synchronized (received) {
        entries = received.stream().mapToLong(DictionaryChunk::getEntriesCount).sum();
      }
      assertEquals(SYSTEMS * ENTRIES, entries);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
      dictionaries.clear(project);
    }
  }
}
