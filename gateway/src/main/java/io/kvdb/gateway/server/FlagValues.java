package io.kvdb.gateway.server;

import io.kvdb.lua.redis.RedisAddress;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
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

  /** A readable file of one or more PEM certificates (a chain, or a bundle of CAs). */
  static final class PemCertificates implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path file = Path.of(value);
      byte[] pem = readable(value);
      try {
        if (!new String(pem, StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE")
            || CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem))
                .isEmpty()) {
          throw new CertificateException("no certificate");
        }
      } catch (CertificateException notPem) {
        throw new TypeConversionException("'" + value + "' holds no PEM certificate");
      }
      return file;
    }
  }

  /** A readable PEM private key; the TLS stack reads unencrypted PKCS#8 ({@code PRIVATE KEY}). */
  static final class PemPrivateKey implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      if (!new String(readable(value), StandardCharsets.ISO_8859_1)
          .contains("-----BEGIN PRIVATE KEY")) {
        throw new TypeConversionException(
            "'" + value + "' holds no PEM private key (BEGIN PRIVATE KEY: unencrypted PKCS#8)");
      }
      return Path.of(value);
    }
  }

  private static byte[] readable(String value) {
    Path file = Path.of(value);
    try {
      if (!value.isBlank() && Files.isRegularFile(file)) {
        return Files.readAllBytes(file);
      }
    } catch (IOException unreadable) {
      // Said below, as for a missing file.
    }
    throw new TypeConversionException("'" + value + "' is not a readable file");
  }
}
