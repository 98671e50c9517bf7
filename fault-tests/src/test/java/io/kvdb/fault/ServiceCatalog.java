package io.kvdb.fault;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Channel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every service a gateway serves, with the descriptors of its methods, asked of the gateway's own
 * reflection service: a method added tomorrow is in the storm without touching the test.
 */
final class ServiceCatalog {
  private ServiceCatalog() {}

  /** The served services but reflection itself. */
  static List<ServiceDescriptor> discover(Channel channel) {
    List<ServiceDescriptor> services = new ArrayList<>();
    for (ServiceResponse service :
        ask(channel, ServerReflectionRequest.newBuilder().setListServices("").build())
            .getListServicesResponse()
            .getServiceList()) {
      if (service.getName().startsWith("grpc.reflection.")) {
        continue;
      }
      ServerReflectionResponse files =
          ask(
              channel,
              ServerReflectionRequest.newBuilder()
                  .setFileContainingSymbol(service.getName())
                  .build());
      // The first file holds the symbol; the others are its dependencies.
      List<FileDescriptorProto> sent =
          files.getFileDescriptorResponse().getFileDescriptorProtoList().stream()
              .map(ServiceCatalog::parse)
              .toList();
      Map<String, FileDescriptorProto> protos = new HashMap<>();
      sent.forEach(proto -> protos.put(proto.getName(), proto));
      FileDescriptor descriptor = build(sent.get(0).getName(), protos, new HashMap<>());
      String simpleName = service.getName().substring(service.getName().lastIndexOf('.') + 1);
      services.add(descriptor.findServiceByName(simpleName));
    }
    return services;
  }

  private static FileDescriptor build(
      String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException("reflection did not send " + name);
    }
    List<FileDescriptor> dependencies = new ArrayList<>();
    for (String dependency : proto.getDependencyList()) {
      dependencies.add(build(dependency, protos, built));
    }
    try {
      FileDescriptor file =
          FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("cannot rebuild " + name, e);
    }
  }

  private static FileDescriptorProto parse(com.google.protobuf.ByteString bytes) {
    try {
      return FileDescriptorProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("reflection sent a bad descriptor", e);
    }
  }

  private static ServerReflectionResponse ask(Channel channel, ServerReflectionRequest request) {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    answer.complete(response);
                  }

                  @Override
                  public void onError(Throwable failure) {
                    answer.completeExceptionally(failure);
                  }

                  @Override
                  public void onCompleted() {
                    answer.completeExceptionally(
                        new IllegalStateException("reflection ended without an answer"));
                  }
                });
    requests.onNext(request);
    requests.onCompleted();
    return answer.orTimeout(10, TimeUnit.SECONDS).join();
  }
}
