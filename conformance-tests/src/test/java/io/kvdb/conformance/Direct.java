package io.kvdb.conformance;

import io.kvdb.client.KvdbException;
import java.util.function.Supplier;

/**
 * Calls through the generated stubs on {@code kvdb.channel()}, for requests the SDK's options
 * refuse before sending (values out of their bounds): the gateway must refuse them too, and its
 * failure is read as the SDK reads it.
 */
public final class Direct {
  private Direct() {}

  public static <T> T call(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException failure) {
      throw KvdbException.from(failure);
    }
  }
}
