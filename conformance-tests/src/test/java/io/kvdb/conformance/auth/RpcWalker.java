package io.kvdb.conformance.auth;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.StatusProto;
import io.kvdb.proto.v1.QueueServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Calls every method of every KVDB service once, whatever its kind (unary or streaming): the
 * services are found among the generated {@code *Grpc} classes of {@code io.kvdb.proto.v1}, so a
 * new service or RPC is walked without anyone listing it. Each request is the smallest plausible
 * one: its name fields ({@code name}, {@code queue}, {@code channel}, ...) name a canary resource,
 * so a refusal that said whether the resource exists would show.
 */
final class RpcWalker {
  /** The string fields that name the resource a call acts on. */
  private static final Set<String> NAME_FIELDS =
      Set.of(
          "name",
          "queue",
          "channel",
          "channels",
          "service",
          "system",
          "from_system",
          "to_system",
          "key",
          "value");

  /** Every duration a request carries (a TTL, a grace, a wait) but a delay: valid, and short. */
  private static final com.google.protobuf.Duration ONE_SECOND =
      com.google.protobuf.Duration.newBuilder().setSeconds(1).build();

  /** How deep a request's nested messages are filled in (a ConsumeRequest's start, say). */
  private static final int DEPTH = 3;

  private final Channel channel;
  private final Duration deadline;

  RpcWalker(Channel channel, Duration deadline) {
    this.channel = channel;
    this.deadline = deadline;
  }

  /** What one call came to: its status and trailers, and how many messages it got first. */
  record Outcome(Status status, Metadata trailers, int messages) {
    /** The ErrorInfo reason the status carries, if any. */
    Optional<String> reason() {
      com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
      return details.getDetailsList().stream()
          .filter(detail -> detail.is(ErrorInfo.class))
          .findFirst()
          .map(RpcWalker::errorInfo)
          .map(ErrorInfo::getReason);
    }

    @Override
    public String toString() {
      return status.getCode()
          + " "
          + reason().orElse("(no reason)")
          + " \""
          + status.getDescription()
          + "\" after "
          + messages
          + " messages";
    }
  }

  /** Every method of every KVDB service, sorted by full name. */
  static List<MethodDescriptor<?, ?>> methods() {
    return services().stream()
        .flatMap(service -> service.getMethods().stream())
        .<MethodDescriptor<?, ?>>map(method -> method)
        .sorted(Comparator.comparing(MethodDescriptor::getFullMethodName))
        .toList();
  }

  /** The services of the generated {@code *Grpc} classes beside {@link QueueServiceGrpc}. */
  static List<ServiceDescriptor> services() {
    String packagePath = QueueServiceGrpc.class.getPackageName().replace('.', '/');
    try {
      URI location =
          QueueServiceGrpc.class.getProtectionDomain().getCodeSource().getLocation().toURI();
      Path root = Path.of(location);
      if (Files.isDirectory(root)) {
        return servicesIn(root.resolve(packagePath));
      }
      try (FileSystem jar = FileSystems.newFileSystem(root)) {
        return servicesIn(jar.getPath(packagePath));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<ServiceDescriptor> servicesIn(Path directory) throws IOException {
    List<ServiceDescriptor> services = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith("Grpc.class")) {
          String type =
              QueueServiceGrpc.class.getPackageName()
                  + "."
                  + name.substring(0, name.length() - ".class".length());
          services.add(serviceOf(type));
        }
      }
    }
    return services;
  }

  private static ServiceDescriptor serviceOf(String grpcClass) {
    try {
      return (ServiceDescriptor)
          Class.forName(grpcClass).getMethod("getServiceDescriptor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the service of " + grpcClass, e);
    }
  }

  /** The request {@link #call} sends to {@code method}: name fields say {@code canary}. */
  static DynamicMessage request(MethodDescriptor<?, ?> method, String canary) {
    return filled(inputType(method), canary, DEPTH);
  }

  static Descriptor inputType(MethodDescriptor<?, ?> method) {
    return ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor())
        .getMethodDescriptor()
        .getInputType();
  }

  private static DynamicMessage filled(Descriptor type, String canary, int depth) {
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      boolean laterInOneof =
          field.getRealContainingOneof() != null
              && field.getRealContainingOneof().getField(0) != field;
      if (laterInOneof) {
        continue;
      }
      Object value = value(field, canary, depth);
      if (value == null) {
        continue;
      }
      if (field.isRepeated()) {
        message.addRepeatedField(field, value);
      } else {
        message.setField(field, value);
      }
    }
    return message.build();
  }

  /**
   * A name field's canary, a second for a duration, or a nested KVDB message filled in likewise;
   * else nothing.
   */
  private static Object value(FieldDescriptor field, String canary, int depth) {
    if (field.isMapField()) {
      return null;
    }
    if (field.getJavaType() == FieldDescriptor.JavaType.STRING
        && NAME_FIELDS.contains(field.getName())) {
      return canary;
    }
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && field.getMessageType().equals(ONE_SECOND.getDescriptorForType())
        && !field.getName().equals("delay")) {
      return ONE_SECOND;
    }
    boolean kvdbMessage =
        field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
            && field.getMessageType().getFile().getPackage().equals("kvdb.v1");
    return kvdbMessage && depth > 0 ? filled(field.getMessageType(), canary, depth - 1) : null;
  }

  /**
   * Calls {@code method} with {@code headers}: sends the one request, half-closes, and collects
   * every message until the call ends or the deadline passes.
   */
  Outcome call(MethodDescriptor<?, ?> method, DynamicMessage request, Metadata headers) {
    @SuppressWarnings("unchecked")
    MethodDescriptor<Object, Object> generic = (MethodDescriptor<Object, Object>) method;
    Object typed = generic.parseRequest(request.toByteString().newInput());
    ClientCall<Object, Object> call =
        channel.newCall(
            generic,
            CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
    AtomicInteger messages = new AtomicInteger();
    CompletableFuture<Outcome> closed = new CompletableFuture<>();
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onMessage(Object message) {
            messages.incrementAndGet();
          }

          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.complete(new Outcome(status, trailers, messages.get()));
          }
        },
        headers);
    call.request(Integer.MAX_VALUE);
    call.sendMessage(typed);
    call.halfClose();
    try {
      return closed.get(deadline.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      call.cancel("the walker gave up", e);
      throw new IllegalStateException(method.getFullMethodName() + " never closed", e);
    }
  }

  /** Calls every method with the same {@code headers}, in {@link #methods()} order. */
  Map<String, Outcome> walk(String canary, Metadata headers) {
    Map<String, Outcome> outcomes = new java.util.LinkedHashMap<>();
    for (MethodDescriptor<?, ?> method : methods()) {
      outcomes.put(method.getFullMethodName(), call(method, request(method, canary), headers));
    }
    return outcomes;
  }

  private static ErrorInfo errorInfo(com.google.protobuf.Any detail) {
    try {
      return detail.unpack(ErrorInfo.class);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an ErrorInfo that does not parse", e);
    }
  }
}
