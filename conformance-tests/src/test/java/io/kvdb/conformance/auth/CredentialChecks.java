package io.kvdb.conformance.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Durations;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.kvdb.lua.Keys;
import io.kvdb.proto.v1.AcquireLockRequest;
import io.kvdb.proto.v1.BrokerServiceGrpc;
import io.kvdb.proto.v1.CreateQueueRequest;
import io.kvdb.proto.v1.DictionaryServiceGrpc;
import io.kvdb.proto.v1.Entry;
import io.kvdb.proto.v1.Invocation;
import io.kvdb.proto.v1.LockServiceGrpc;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PostMessagesRequest;
import io.kvdb.proto.v1.PublishRequest;
import io.kvdb.proto.v1.PutEntriesRequest;
import io.kvdb.proto.v1.QueueServiceGrpc;
import io.kvdb.proto.v1.RecordRequest;
import io.kvdb.proto.v1.StatsServiceGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/** What the credential conformance classes share: headers, canaries, and the two walks. */
final class CredentialChecks {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> PROJECT =
      Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER);

  /** The codes that say the check refused the call, or that the walker never reached it. */
  private static final Set<Status.Code> REFUSED =
      Set.of(Status.Code.UNAUTHENTICATED, Status.Code.PERMISSION_DENIED, Status.Code.UNIMPLEMENTED);

  private CredentialChecks() {}

  /**
   * What a digest around refused calls leaves out: the data of every hash tag but {@code tags}
   * (this test's projects), the trash of deleted queues, which every gateway's collector drains for
   * any project meanwhile (a deleted queue of ours would still show: its own keys go), and the
   * usage counts the collectors rewrite every round.
   */
  static List<RedisDigest.Exclusion> exclusions(Set<String> tags) {
    return List.of(
        RedisDigest.Exclusion.projectsOtherThan(tags),
        new RedisDigest.Exclusion(
            Pattern.compile(Pattern.quote(Keys.QUEUE_TRASH)),
            "the collectors drain other tests' deleted queues meanwhile"),
        new RedisDigest.Exclusion(
            Pattern.compile("kvdb:quota:\\{[^}]*\\}:usage"),
            "every gateway's collector recounts each project's stored messages every round"));
  }

  /** A call in {@code project} with {@code bearer} as its credential; null: none. */
  static Metadata headers(String project, String bearer) {
    Metadata headers = new Metadata();
    headers.put(PROJECT, project);
    if (bearer != null) {
      headers.put(AUTHORIZATION, "Bearer " + bearer);
    }
    return headers;
  }

  /**
   * Calls every method with its headers and lists those not refused with {@code code} and {@code
   * reason}, or that got a message, or whose message names {@code canary}, or that answered about
   * the canary otherwise than about a resource that does not exist; empty when all were right.
   */
  static List<String> notRefusedAs(
      RpcWalker walker,
      String canary,
      Function<String, Metadata> headersFor,
      Status.Code code,
      String reason) {
    List<String> wrong = new ArrayList<>();
    for (MethodDescriptor<?, ?> method : RpcWalker.methods()) {
      String name = method.getFullMethodName();
      RpcWalker.Outcome outcome =
          walker.call(method, RpcWalker.request(method, canary), headersFor.apply(name));
      RpcWalker.Outcome absent =
          walker.call(
              method, RpcWalker.request(method, "absent-" + canary), headersFor.apply(name));
      if (outcome.status().getCode() != code
          || !outcome.reason().equals(Optional.of(reason))
          || outcome.messages() != 0
          || String.valueOf(outcome.status().getDescription()).contains(canary)) {
        wrong.add(name + ": " + outcome);
      } else if (!outcome.toString().equals(absent.toString())) {
        wrong.add(name + ": " + outcome + ", but for a resource that does not exist " + absent);
      }
    }
    return wrong;
  }

  /** Calls every method with its headers and lists those the check refused; empty when none. */
  static List<String> refused(
      RpcWalker walker, String canary, Function<String, Metadata> headersFor) {
    List<String> refused = new ArrayList<>();
    for (MethodDescriptor<?, ?> method : RpcWalker.methods()) {
      String name = method.getFullMethodName();
      RpcWalker.Outcome outcome =
          walker.call(method, RpcWalker.request(method, canary), headersFor.apply(name));
      if (REFUSED.contains(outcome.status().getCode())) {
        refused.add(name + ": " + outcome);
      }
    }
    return refused;
  }

  /**
   * A resource of each kind named {@code canary}, made with {@code admin} headers; long-lived, so
   * nothing of it expires while a digest is compared.
   */
  static void createCanaries(Channel channel, Metadata admin, String canary) {
    com.google.protobuf.Duration hour = Durations.fromSeconds(3600);
    as(admin, QueueServiceGrpc.newBlockingStub(channel))
        .createQueue(CreateQueueRequest.newBuilder().setName(canary).build());
    as(admin, MessageServiceGrpc.newBlockingStub(channel))
        .postMessages(
            PostMessagesRequest.newBuilder()
                .setQueue(canary)
                .addMessages(
                    NewMessage.newBuilder()
                        .setBody(ByteString.copyFromUtf8("secret payload"))
                        .setTtl(hour))
                .build());
    as(admin, LockServiceGrpc.newBlockingStub(channel))
        .acquire(AcquireLockRequest.newBuilder().setName(canary).setTtl(hour).build());
    as(admin, DictionaryServiceGrpc.newBlockingStub(channel))
        .putEntries(
            PutEntriesRequest.newBuilder()
                .addEntries(Entry.newBuilder().setSystem(canary).setKey(canary).setValue(canary))
                .build());
    as(admin, StatsServiceGrpc.newBlockingStub(channel))
        .record(
            RecordRequest.newBuilder()
                .addInvocations(
                    Invocation.newBuilder().setService(canary).setDuration(Durations.fromMillis(5)))
                .build());
    as(admin, BrokerServiceGrpc.newBlockingStub(channel))
        .publish(
            PublishRequest.newBuilder()
                .setChannel(canary)
                .setPayload(ByteString.copyFromUtf8("secret payload"))
                .build());
  }

  static <S extends AbstractStub<S>> S as(Metadata headers, S stub) {
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
