package io.kvdb.gateway.api;

import io.grpc.Context;
import io.grpc.Metadata;
import io.kvdb.lua.queues.QueueRef;

/**
 * Who a call is for: the project (tenant) from the {@code x-project-id} header, as in Zaqar, and
 * the client identity from {@code client-id}. The {@link ProjectInterceptor} puts both in the gRPC
 * context before a service method runs.
 */
public final class CallContext {
  public static final Metadata.Key<String> PROJECT_HEADER =
      Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> CLIENT_ID_HEADER =
      Metadata.Key.of("client-id", Metadata.ASCII_STRING_MARSHALLER);

  static final Context.Key<String> PROJECT = Context.key("kvdb-project");
  static final Context.Key<String> CLIENT_ID = Context.key("kvdb-client-id");

  private CallContext() {}

  /** The calling project; {@code default} when the header is absent. */
  public static String project() {
    String project = PROJECT.get();
    return project == null ? Names.DEFAULT_PROJECT : project;
  }

  /** The calling client's id; empty when the header is absent. */
  public static String clientId() {
    String clientId = CLIENT_ID.get();
    return clientId == null ? "" : clientId;
  }

  /** The calling project's queue of that name, checked as the request field {@code field}. */
  public static QueueRef queue(String field, String name) {
    return new QueueRef(project(), Names.name(field, name));
  }
}
