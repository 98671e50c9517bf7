package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import com.google.protobuf.MessageLite;
import io.kvdb.gateway.api.HeaderSizeLimit;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.GetQueueRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Oversized headers from an HTTP/2 client that ignores the SETTINGS_MAX_HEADER_LIST_SIZE the
 * gateway advertises (grpc-java's would refuse to send them), on a connection where a claim waits:
 * each such call is refused alone, with one log line at most.
 */
class UnheededHeaderLimitTest {
  private EventLoopGroup loop;
  private Channel connection;

  @BeforeEach
  void connect() throws Exception {
    String[] target = KvdbTarget.address().split(":");
    loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    connection =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forClient()
                                .encoderIgnoreMaxHeaderListSize(true)
                                .build(),
                            new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                  }
                })
            .connect(target[0], Integer.parseInt(target[1]))
            .sync()
            .channel();
  }

  @AfterEach
  void close() {
    connection.close();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  @Test
  void headersPastTheAdvertisedLimitAreRefusedForThatCallAlone() throws Exception {
    try (CapturedLog log = CapturedLog.start()) {
      CompletableFuture<Http2Headers> waiting =
          call(
              "/kvdb.v1.ClaimService/CreateClaim",
              KvdbTarget.freshProject(),
              CreateClaimRequest.newBuilder()
                  .setQueue("empty")
                  .setTtl(Duration.newBuilder().setSeconds(60))
                  .setGrace(Duration.newBuilder().setSeconds(60))
                  .setWait(Duration.newBuilder().setSeconds(5))
                  .build());

      int limit = HeaderSizeLimit.TRANSPORT_MAX_BYTES;
      for (int size : new int[] {20 * 1024, limit - 1024}) {
        Http2Headers trailers = getQueueWithProject("p".repeat(size));
        assertEquals("3", String.valueOf(trailers.get("grpc-status")), size + " bytes");
        assertTrue(
            String.valueOf(trailers.get("grpc-message")).startsWith("x-project-id"),
            size + " bytes: " + trailers);
      }
      // Past the limit, Netty answers HTTP 431 for the stream, up to an encoded block of 1.25
      // times the limit (1.5 MiB of "p", 6 bits each in HPACK's Huffman code, is under it);
      // past that it ends the connection, which no setting of the gateway prevents.
      for (int size : new int[] {limit + 1024, limit * 3 / 2}) {
        assertEquals("431", String.valueOf(getQueueWithProject("p".repeat(size)).status()));
      }

      assertFalse(waiting.isDone(), "the claim was still waiting while the oversized calls ran");
      assertEquals(
          "0", String.valueOf(waiting.get(15, TimeUnit.SECONDS).get("grpc-status")), "claim");
      log.assertAtMostOneLineEach(4);
    }
  }

  private Http2Headers getQueueWithProject(String project) throws Exception {
    return call(
            "/kvdb.v1.QueueService/GetQueue",
            project,
            GetQueueRequest.newBuilder().setName("q").build())
        .get(10, TimeUnit.SECONDS);
  }

  /** The headers that end the call's stream; fails if the stream is reset or closed first. */
  private CompletableFuture<Http2Headers> call(String path, String project, MessageLite request)
      throws Exception {
    CompletableFuture<Http2Headers> ended = new CompletableFuture<>();
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(connection)
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object frame) {
                    if (frame instanceof Http2HeadersFrame headers && headers.isEndStream()) {
                      ended.complete(headers.headers());
                    } else if (frame instanceof Http2ResetFrame reset) {
                      ended.completeExceptionally(
                          new IllegalStateException("RST_STREAM " + reset.errorCode()));
                    }
                    ReferenceCountUtil.release(frame);
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    ended.completeExceptionally(new IllegalStateException("stream closed"));
                  }
                })
            .open()
            .sync()
            .getNow();
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme("http")
            .path(path)
            .authority("kvdb")
            .add("content-type", "application/grpc")
            .add("te", "trailers")
            .add("x-project-id", project);
    stream.write(new DefaultHttp2HeadersFrame(headers));
    byte[] body = request.toByteArray();
    // gRPC's framing: not compressed, the length, the message.
    ByteBuf framed =
        Unpooled.buffer(5 + body.length).writeByte(0).writeInt(body.length).writeBytes(body);
    stream.writeAndFlush(new DefaultHttp2DataFrame(framed, true));
    return ended;
  }
}
