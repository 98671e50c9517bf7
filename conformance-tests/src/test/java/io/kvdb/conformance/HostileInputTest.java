package io.kvdb.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.HeaderSizeLimit;
import io.kvdb.proto.Contract;
import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.Claim;
import io.kvdb.proto.v1.ClaimServiceGrpc;
import io.kvdb.proto.v1.CreateClaimRequest;
import io.kvdb.proto.v1.DictionariesProto;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.Entry;
import io.kvdb.proto.v1.GetQueueRequest;
import io.kvdb.proto.v1.GetServiceStatsRequest;
import io.kvdb.proto.v1.ImportRequest;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.RecordRequest;
import io.kvdb.proto.v1.RenewLockRequest;
import io.kvdb.proto.v1.ServiceSettings;
import io.kvdb.proto.v1.StatsServiceGrpc;
import io.kvdb.proto.v1.TopServicesRequest;
import io.kvdb.proto.v1.UpdateClaimRequest;
import io.kvdb.proto.v1.UpdateServiceSettingsRequest;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request bodies that do not parse, sent as raw bytes to every method of every KVDB service (unary
 * calls and stream frames alike): each is refused with INVALID_ARGUMENT, never UNKNOWN.
 */
class HostileInputTest {
  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, (byte) 0x28};

  /** Field 1, length 5, then only one byte: the parser runs out of input. */
  private static final byte[] TRUNCATED = {0x0A, 0x05, 0x61};

  /** A tag of zero, which the wire format forbids. */
  private static final byte[] ZERO_TAG = {0x00, 0x01};

  private static final io.grpc.MethodDescriptor.Marshaller<byte[]> RAW =
      new io.grpc.MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel =
        ManagedChannelBuilder.forTarget(KvdbTarget.address())
            .usePlaintext()
            .intercept(watchers())
            .build();
  }

  /** What watches every call of the walk: nothing here, see {@link RefusalLoggingTest}. */
  List<ClientInterceptor> watchers() {
    return List.of();
  }

  @AfterEach
  void close() {
    channel.shutdownNow();
  }

  private static List<ServiceDescriptor> services() {
    return Contract.services();
  }

  private static List<MethodDescriptor> methods() {
    return services().stream().flatMap(service -> service.getMethods().stream()).toList();
  }

  @Test
  void theWalkCoversEveryServiceTheGatewayServes() throws Exception {
    Set<String> walked = new HashSet<>();
    services().forEach(service -> walked.add(service.getFullName()));
    Set<String> served = new HashSet<>();
    for (String name : servedServices()) {
      if (name.startsWith("kvdb.")) {
        served.add(name);
      }
    }
    assertEquals(served, walked);
  }

  @Test
  void bodiesThatDoNotParseAreInvalidArgumentOnEveryMethod() throws Exception {
    for (MethodDescriptor method : methods()) {
      for (byte[] body : List.of(TRUNCATED, ZERO_TAG)) {
        Outcome outcome = send(method, List.of(body));
        assertEquals(
            Status.Code.INVALID_ARGUMENT,
            outcome.status().getCode(),
            method.getFullName() + ": " + outcome);
        assertEquals(
            Optional.of("request"), outcome.field(), method.getFullName() + ": " + outcome);
      }
    }
  }

  @Test
  void aStringThatIsNotUtf8IsInvalidArgumentNamingTheField() throws Exception {
    int covered = 0;
    for (MethodDescriptor method : methods()) {
      List<FieldDescriptor> path = pathToString(method.getInputType(), new ArrayList<>());
      if (path == null) {
        continue;
      }
      covered++;
      Outcome outcome =
          send(method, List.of(nest(path, ByteString.copyFrom(INVALID_UTF8)).toByteArray()));
      assertEquals(
          Status.Code.INVALID_ARGUMENT,
          outcome.status().getCode(),
          method.getFullName() + ": " + outcome);
      assertEquals(
          Optional.of(fieldName(path)), outcome.field(), method.getFullName() + ": " + outcome);
    }
    assertTrue(covered > 30, "methods with a string field: " + covered);
  }

  @Test
  void aBadFrameAfterAGoodOneEndsTheStreamWithInvalidArgument() throws Exception {
    MethodDescriptor importMethod =
        DictionariesProto.getDescriptor()
            .findServiceByName("DictionaryService")
            .findMethodByName("Import");
    byte[] good =
        ImportRequest.newBuilder()
            .setChunk(
                DictionaryChunk.newBuilder()
                    .addEntries(
                        Entry.newBuilder().setSystem("CRM").setKey("currency").setValue("USD")))
            .build()
            .toByteArray();
    ByteString bad =
        nest(
            List.of(
                ImportRequest.getDescriptor().findFieldByName("chunk"),
                DictionaryChunk.getDescriptor().findFieldByName("entries"),
                Entry.getDescriptor().findFieldByName("value")),
            ByteString.copyFrom(INVALID_UTF8));

    Outcome outcome = send(importMethod, List.of(good, bad.toByteArray()));

    assertEquals(Status.Code.INVALID_ARGUMENT, outcome.status().getCode(), outcome.toString());
    assertEquals(Optional.of("chunk.entries.0.value"), outcome.field(), outcome.toString());
  }

  @Test
  void durationsAndTimestampsOutOfTheirTypesRangeAreInvalidArgumentNamingTheField() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER),
        KvdbTarget.freshProject());
    var interceptor = io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers);
    var locks = LockServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
    var stats = StatsServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
    Duration huge = Duration.newBuilder().setSeconds(Long.MAX_VALUE).build();
    Duration tiny = Duration.newBuilder().setSeconds(Long.MIN_VALUE).build();
    Duration tooManyNanos = Duration.newBuilder().setNanos(Integer.MAX_VALUE).build();
    Timestamp farPast = Timestamp.newBuilder().setSeconds(Long.MIN_VALUE).build();
    Timestamp now = Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build();

    for (Duration ttl : List.of(huge, tiny, tooManyNanos)) {
      refusedNaming(
          "ttl",
          () -> locks.acquire(AcquireLockRequest.newBuilder().setName("l").setTtl(ttl).build()));
    }
    refusedNaming(
        "wait_timeout",
        () ->
            locks.acquire(
                AcquireLockRequest.newBuilder()
                    .setName("l")
                    .setTtl(Duration.newBuilder().setSeconds(10))
                    .setWaitTimeout(huge)
                    .build()));
    refusedNaming(
        "invocations.0.duration",
        () ->
            stats.record(
                RecordRequest.newBuilder()
                    .addInvocations(Invocation.newBuilder().setService("s").setDuration(tiny))
                    .build()));
    refusedNaming(
        "invocations.0.time",
        () ->
            stats.record(
                RecordRequest.newBuilder()
                    .addInvocations(
                        Invocation.newBuilder()
                            .setService("s")
                            .setDuration(Duration.newBuilder().setNanos(1000))
                            .setTime(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)))
                    .build()));
    refusedNaming(
        "start",
        () ->
            stats.getServiceStats(
                GetServiceStatsRequest.newBuilder()
                    .setService("s")
                    .setStart(farPast)
                    .setEnd(now)
                    .build()));
    refusedNaming(
        "start",
        () ->
            stats.topServices(
                TopServicesRequest.newBuilder()
                    .setStart(Timestamp.newBuilder().setSeconds(now.getSeconds() - 60).setNanos(-1))
                    .setEnd(now)
                    .build()));
  }

  @Test
  void everyDurationFieldRefusesAValueItsTypeCannotHoldNamingTheField() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER),
        KvdbTarget.freshProject());
    var interceptor = io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers);
    var claims = ClaimServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
    var messages = MessageServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
    var locks = LockServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
    var stats = StatsServiceGrpc.newBlockingStub(channel).withInterceptors(interceptor);
    Duration second = Duration.newBuilder().setSeconds(1).build();
    for (Duration bad :
        List.of(
            Duration.newBuilder().setSeconds(Long.MAX_VALUE).build(),
            Duration.newBuilder().setSeconds(Long.MIN_VALUE).build(),
            Duration.newBuilder().setNanos(Integer.MAX_VALUE).build())) {
      CreateClaimRequest claim = CreateClaimRequest.newBuilder().setQueue("q").build();
      refusedNaming("ttl", () -> claims.createClaim(claim.toBuilder().setTtl(bad).build()));
      refusedNaming("grace", () -> claims.createClaim(claim.toBuilder().setGrace(bad).build()));
      refusedNaming("wait", () -> claims.createClaim(claim.toBuilder().setWait(bad).build()));
      UpdateClaimRequest update =
          UpdateClaimRequest.newBuilder().setQueue("q").setClaimId("c").setTtl(second).build();
      refusedNaming("ttl", () -> claims.updateClaim(update.toBuilder().setTtl(bad).build()));
      refusedNaming("grace", () -> claims.updateClaim(update.toBuilder().setGrace(bad).build()));
      NewMessage message = NewMessage.newBuilder().setBody(ByteString.copyFromUtf8("x")).build();
      refusedNaming(
          "messages.0.ttl",
          () -> messages.postMessages(post(message.toBuilder().setTtl(bad).build())));
      refusedNaming(
          "messages.0.delay",
          () -> messages.postMessages(post(message.toBuilder().setDelay(bad).build())));
      refusedNaming(
          "ttl",
          () ->
              locks.renew(
                  RenewLockRequest.newBuilder().setName("l").setToken("t").setTtl(bad).build()));
      refusedNaming(
          "settings.slow_threshold",
          () ->
              stats.updateServiceSettings(
                  UpdateServiceSettingsRequest.newBuilder()
                      .setSettings(
                          ServiceSettings.newBuilder().setService("s").setSlowThreshold(bad))
                      .build()));
    }
  }

  private static PostMessagesRequest post(NewMessage message) {
    return PostMessagesRequest.newBuilder().setQueue("q").addMessages(message).build();
  }

  @Test
  void anOversizedHeaderRefusesThatCallAloneNotItsConnection() throws Exception {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER),
        KvdbTarget.freshProject());
    var claims =
        ClaimServiceGrpc.newStub(channel)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    List<CompletableFuture<Claim>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Claim> claim = new CompletableFuture<>();
      claims.createClaim(
          CreateClaimRequest.newBuilder()
              .setQueue("empty-" + i)
              .setTtl(Duration.newBuilder().setSeconds(60))
              .setGrace(Duration.newBuilder().setSeconds(60))
              .setWait(Duration.newBuilder().setSeconds(5))
              .build(),
          new StreamObserver<>() {
            @Override
            public void onNext(Claim value) {
              claim.complete(value);
            }

            @Override
            public void onError(Throwable error) {
              claim.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {}
          });
      waiting.add(claim);
    }

    // Up to what the gateway advertises as SETTINGS_MAX_HEADER_LIST_SIZE (less what the call's
    // other headers take), the gateway refuses the call; past it, the client refuses it itself.
    int largestSent = HeaderSizeLimit.TRANSPORT_MAX_BYTES - 1024;
    for (int size : new int[] {9 * 1024, 20 * 1024, 70 * 1024, 100 * 1024, largestSent}) {
      StatusRuntimeException refused = getQueueWithProject("p".repeat(size));
      assertEquals(
          Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), size + " bytes: " + refused);
      assertEquals(
          Optional.of("x-project-id"),
          field(refused.getStatus(), refused.getTrailers()),
          refused.toString());
    }
    for (int size : new int[] {HeaderSizeLimit.TRANSPORT_MAX_BYTES, 4 * 1024 * 1024}) {
      StatusRuntimeException unsent = getQueueWithProject("p".repeat(size));
      assertInstanceOf(
          Http2Exception.HeaderListSizeException.class, unsent.getCause(), size + " bytes");
    }

    assertTrue(
        waiting.stream().noneMatch(CompletableFuture::isDone),
        "the claims were still waiting while the oversized calls ran");
    for (CompletableFuture<Claim> claim : waiting) {
      assertEquals("", claim.get(15, TimeUnit.SECONDS).getId(), "the waiting claim ran to its end");
    }
  }

  private StatusRuntimeException getQueueWithProject(String project) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER), project);
    var queues =
        QueueServiceGrpc.newBlockingStub(channel)
            .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(headers));
    return assertThrows(
        StatusRuntimeException.class,
        () -> queues.getQueue(GetQueueRequest.newBuilder().setName("q").build()));
  }

  private static void refusedNaming(String field, org.junit.jupiter.api.function.Executable call) {
    io.grpc.StatusRuntimeException error = assertThrows(io.grpc.StatusRuntimeException.class, call);
    assertEquals(Status.Code.INVALID_ARGUMENT, error.getStatus().getCode(), error.toString());
    assertEquals(
        Optional.of(field), field(error.getStatus(), error.getTrailers()), error.toString());
  }

  private record Outcome(Status status, Optional<String> field) {}

  /** Sends each body as one frame of the method, half-closes, and waits for the call's end. */
  private Outcome send(MethodDescriptor method, List<byte[]> bodies) throws Exception {
    io.grpc.MethodDescriptor<byte[], byte[]> raw =
        io.grpc.MethodDescriptor.<byte[], byte[]>newBuilder()
            .setFullMethodName(
                io.grpc.MethodDescriptor.generateFullMethodName(
                    method.getService().getFullName(), method.getName()))
            .setType(type(method))
            .setRequestMarshaller(RAW)
            .setResponseMarshaller(RAW)
            .build();
    CompletableFuture<Outcome> ended = new CompletableFuture<>();
    ClientCall<byte[], byte[]> call =
        channel.newCall(raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS));
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER),
        KvdbTarget.freshProject());
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            ended.complete(new Outcome(status, field(status, trailers)));
          }
        },
        headers);
    call.request(Integer.MAX_VALUE);
    bodies.forEach(call::sendMessage);
    call.halfClose();
    return ended.get(15, TimeUnit.SECONDS);
  }

  private static io.grpc.MethodDescriptor.MethodType type(MethodDescriptor method) {
    if (method.isClientStreaming()) {
      return method.isServerStreaming()
          ? io.grpc.MethodDescriptor.MethodType.BIDI_STREAMING
          : io.grpc.MethodDescriptor.MethodType.CLIENT_STREAMING;
    }
    return method.isServerStreaming()
        ? io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING
        : io.grpc.MethodDescriptor.MethodType.UNARY;
  }

  private static Optional<String> field(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    for (Any detail : details.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          return Optional.ofNullable(detail.unpack(ErrorInfo.class).getMetadataMap().get("field"));
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
          throw new AssertionError(e);
        }
      }
    }
    return Optional.empty();
  }

  /** The first string field reachable from {@code type} through message fields, or null. */
  private static List<FieldDescriptor> pathToString(Descriptor type, List<FieldDescriptor> prefix) {
    if (prefix.size() > 4) {
      return null;
    }
    for (FieldDescriptor field : type.getFields()) {
      if (field.getType() == FieldDescriptor.Type.STRING) {
        List<FieldDescriptor> path = new ArrayList<>(prefix);
        path.add(field);
        return path;
      }
    }
    for (FieldDescriptor field : type.getFields()) {
      if (field.getType() == FieldDescriptor.Type.MESSAGE
          && !field.isMapField()
          && field.getMessageType().getFile().getPackage().startsWith("kvdb.")) {
        List<FieldDescriptor> path = new ArrayList<>(prefix);
        path.add(field);
        List<FieldDescriptor> found = pathToString(field.getMessageType(), path);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  /** The wire bytes of {@code leaf} as the value of the last field, inside each field before it. */
  private static ByteString nest(List<FieldDescriptor> path, ByteString leaf) throws IOException {
    ByteString value = leaf;
    for (int i = path.size() - 1; i >= 0; i--) {
      ByteString.Output out = ByteString.newOutput();
      CodedOutputStream coded = CodedOutputStream.newInstance(out);
      coded.writeBytes(path.get(i).getNumber(), value);
      coded.flush();
      value = out.toByteString();
    }
    return value;
  }

  private static String fieldName(List<FieldDescriptor> path) {
    StringBuilder name = new StringBuilder();
    for (FieldDescriptor field : path) {
      name.append(name.isEmpty() ? "" : ".")
          .append(field.getName())
          .append(field.isRepeated() ? ".0" : "");
    }
    return name.toString();
  }

  private List<String> servedServices() throws Exception {
    return ServedServices.listed(channel);
  }
}
