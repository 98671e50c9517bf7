package io.kvdb.fault;

import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.UUID;

/**
 * A project of its own per scenario, attached to raw channels as the {@code x-project-id} header.
 */
final class Project {
  static final Metadata.Key<String> HEADER =
      Metadata.Key.of("x-project-id", Metadata.ASCII_STRING_MARSHALLER);

  private Project() {}

  static String fresh(String scenario) {
    return "fault-" + scenario + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Channel scoped(Channel channel, String project) {
    Metadata headers = new Metadata();
    headers.put(HEADER, project);
    return ClientInterceptors.intercept(
        channel, MetadataUtils.newAttachHeadersInterceptor(headers));
  }
}
