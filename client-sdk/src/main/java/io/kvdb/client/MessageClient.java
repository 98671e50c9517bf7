package io.kvdb.client;

import com.google.protobuf.ByteString;
import io.kvdb.proto.v1.DeleteMessagesRequest;
import io.kvdb.proto.v1.GetMessagesRequest;
import io.kvdb.proto.v1.ListMessagesRequest;
import io.kvdb.proto.v1.ListMessagesResponse;
import io.kvdb.proto.v1.Message;
import io.kvdb.proto.v1.MessageServiceGrpc;
import io.kvdb.proto.v1.NewMessage;
import io.kvdb.proto.v1.PopMessagesRequest;
import io.kvdb.proto.v1.PostMessagesRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A project's messages: post, list, get, delete and pop, blocking and async. */
public final class MessageClient {
  private final KvdbClient client;

  MessageClient(KvdbClient client) {
    this.client = client;
  }

  /** Posts messages (1 to 1000) and returns their ids in order; creates the queue if missing. */
  public List<String> post(String queue, List<NewMessage> messages) {
    return Calls.blocking(() -> blocking().postMessages(postRequest(queue, messages))).getMessageIdsList();
  }

  /** Posts UTF-8 text bodies with the queue's default TTL and delay. */
  public List<String> post(String queue, String... bodies) {
    return post(queue, Arrays.stream(bodies)
        .map(body -> NewMessage.newBuilder().setBody(ByteString.copyFrom(body, StandardCharsets.UTF_8)).build())
        .toList());
  }

  public CompletableFuture<List<String>> postAsync(String queue, List<NewMessage> messages) {
    return Calls.async(async()::postMessages, postRequest(queue, messages)).thenApply(r -> r.getMessageIdsList());
  }

  /** One page of messages, as the request asks. */
  public ListMessagesResponse list(ListMessagesRequest request) {
    return Calls.blocking(() -> blocking().listMessages(request));
  }

  /** The live messages among the ids; a single unknown id asked alone is NOT_FOUND. */
  public List<Message> get(String queue, List<String> ids) {
    GetMessagesRequest request = GetMessagesRequest.newBuilder().setQueue(queue).addAllIds(ids).build();
    return Calls.blocking(() -> blocking().getMessages(request)).getMessagesList();
  }

  /** Deletes unclaimed messages, all or none. */
  public void delete(String queue, List<String> ids) {
    delete(queue, ids, "");
  }

  /** Deletes messages held by the claim, all or none. */
  public void delete(String queue, List<String> ids, String claimId) {
    Calls.blocking(() -> blocking().deleteMessages(deleteRequest(queue, ids, claimId)));
  }

  public CompletableFuture<Void> deleteAsync(String queue, List<String> ids, String claimId) {
    return Calls.async(async()::deleteMessages, deleteRequest(queue, ids, claimId)).thenApply(empty -> null);
  }

  /** Removes and returns up to {@code count} of the oldest free messages. */
  public List<Message> pop(String queue, int count) {
    PopMessagesRequest request = PopMessagesRequest.newBuilder().setQueue(queue).setCount(count).build();
    return Calls.blocking(() -> blocking().popMessages(request)).getMessagesList();
  }

  private static PostMessagesRequest postRequest(String queue, List<NewMessage> messages) {
    return PostMessagesRequest.newBuilder().setQueue(queue).addAllMessages(messages).build();
  }

  private static DeleteMessagesRequest deleteRequest(String queue, List<String> ids, String claimId) {
    return DeleteMessagesRequest.newBuilder().setQueue(queue).addAllIds(ids).setClaimId(claimId).build();
  }

  private MessageServiceGrpc.MessageServiceBlockingStub blocking() {
    return client.withDeadline(MessageServiceGrpc.newBlockingStub(client.channel()));
  }

  private MessageServiceGrpc.MessageServiceStub async() {
    return client.withDeadline(MessageServiceGrpc.newStub(client.channel()));
  }
}
