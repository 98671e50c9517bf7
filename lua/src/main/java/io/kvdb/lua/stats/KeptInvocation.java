package io.kvdb.lua.stats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * A kept invocation (a sample or a slow response). Stored as {@code "<time ms>:<duration
 * us>:<error>:<payload>"}, the payload a msgpack array of correlation id, request and response
 * (binary) and the truncated flag.
 */
public record KeptInvocation(
    Instant time,
    long durationMicros,
    boolean error,
    String correlationId,
    byte[] request,
    byte[] response,
    boolean truncated) {

  /** Encodes what the script stores verbatim beside the time, duration and outcome. */
  public static byte[] payload(
      String correlationId, byte[] request, byte[] response, boolean truncated) {
    try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
      packer.packArrayHeader(4);
      packer.packString(correlationId);
      packer.packBinaryHeader(request.length).writePayload(request);
      packer.packBinaryHeader(response.length).writePayload(response);
      packer.packBoolean(truncated);
      return packer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KeptInvocation decode(byte[] entry) {
    int[] colons = new int[3];
    for (int i = 0, found = 0; found < 3; i++) {
      if (entry[i] == ':') {
        colons[found++] = i;
      }
    }
    long time = Long.parseLong(text(entry, 0, colons[0]));
    long micros = Long.parseLong(text(entry, colons[0] + 1, colons[1]));
    boolean error = entry[colons[1] + 1] == '1';
    int payloadAt = colons[2] + 1;
    if (payloadAt == entry.length) {
      return new KeptInvocation(
          Instant.ofEpochMilli(time), micros, error, "", new byte[0], new byte[0], false);
    }
    try (MessageUnpacker unpacker =
        MessagePack.newDefaultUnpacker(entry, payloadAt, entry.length - payloadAt)) {
      unpacker.unpackArrayHeader();
      String correlationId = unpacker.unpackString();
      byte[] request = unpacker.readPayload(unpacker.unpackBinaryHeader());
      byte[] response = unpacker.readPayload(unpacker.unpackBinaryHeader());
      return new KeptInvocation(
          Instant.ofEpochMilli(time),
          micros,
          error,
          correlationId,
          request,
          response,
          unpacker.unpackBoolean());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
  }
}
