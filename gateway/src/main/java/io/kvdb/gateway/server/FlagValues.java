package io.kvdb.gateway.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;
import redis.clients.jedis.util.JedisURIHelper;

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
      try {
        URI url = new URI(value.trim());
        if (("redis".equals(url.getScheme()) || "rediss".equals(url.getScheme()))
            && JedisURIHelper.isValid(url)) {
          return url;
        }
      } catch (URISyntaxException notAUri) {
        // Reported below with the expected form.
      }
      throw new TypeConversionException(
          "'" + value + "' is not redis://[user:password@]host:port[/db]" + " or rediss://...");
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
