package io.kvdb.gateway.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.io.InputStream;

/**
 * A method's request marshaller that never throws: a body that does not parse becomes an {@link
 * Unparsable} naming the field (or {@code request}), for {@link UnparsableRequests} to refuse.
 * grpc-java answers a marshaller that throws with UNKNOWN and logs a stack trace.
 */
final class LenientMarshaller<Q> implements MethodDescriptor.Marshaller<Object> {
  /** A request body the method's own marshaller refused, and why. */
  record Unparsable(InvalidArgumentException problem) {}

  private final MethodDescriptor.Marshaller<Q> strict;

  LenientMarshaller(MethodDescriptor.Marshaller<Q> strict) {
    this.strict = strict;
  }

  @Override
  @SuppressWarnings("unchecked")
  public InputStream stream(Object value) {
    return strict.stream((Q) value);
  }

  @Override
  public Object parse(InputStream stream) {
    ByteString body;
    try {
      body = ByteString.readFrom(stream);
    } catch (IOException unreadable) {
      return new Unparsable(
          new InvalidArgumentException("request", "cannot be read: " + unreadable.getMessage()));
    }
    try {
      return strict.parse(body.newInput());
    } catch (RuntimeException refused) {
      return new Unparsable(problem(body, refused));
    }
  }

  private InvalidArgumentException problem(ByteString body, RuntimeException refused) {
    if (strict instanceof MethodDescriptor.PrototypeMarshaller<Q> proto
        && proto.getMessagePrototype() instanceof Message prototype) {
      var field = InvalidUtf8.field(prototype.getDescriptorForType(), body);
      if (field.isPresent()) {
        return new InvalidArgumentException(field.get(), "is not valid UTF-8");
      }
    }
    return new InvalidArgumentException("request", "does not parse: " + parserMessage(refused));
  }

  private static String parserMessage(Throwable refused) {
    for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidProtocolBufferException parser) {
        return parser.getMessage();
      }
    }
    return refused.getMessage();
  }
}
