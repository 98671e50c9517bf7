package io.kvdb.gateway.server;

import io.kvdb.lua.redis.RedisAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The gateway's flag values that are more than a number, checked as picocli converts them. */
final class FlagValues {
  private FlagValues() {}

  static final class Host implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (value.isBlank()) {
        throw new TypeConversionException("'" + value + "' is not an address to listen on");
      }
      return value.trim();
    }
  }

  /** Blank is no URL: the gateway then starts an embedded Redis. */
  static final class RedisUrl implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      if (value.isBlank()) {
        return null;
      }
      String expected =
          " (expected redis://[user:password@]host:port[/db], redis://host:port,host:port,... for"
              + " a cluster, redis-sentinel://host:port,.../<master>, or rediss... for TLS)";
      try {
        URI url = new URI(value.trim());
        RedisAddress.parse(url);
        return url;
      } catch (URISyntaxException | IllegalArgumentException unusable) {
        throw new TypeConversionException(unusable.getMessage() + expected);
      }
    }
  }

  static final class Executable implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path binary = Path.of(value);
      if (value.isBlank() || !Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
        throw new TypeConversionException("'" + value + "' is not an executable file");
      }
      return binary;
    }
  }
}
