package io.kvdb.lua.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for TLS tests, generated at run time and written as PEM files (keys as unencrypted
 * PKCS#8, which every TLS stack reads): a CA, a server certificate for {@code localhost} and {@code
 * 127.0.0.1} and a client certificate both signed by it, and an unrelated CA with a client
 * certificate of its own, for handshakes that must fail.
 */
public final class TestCertificates {
  /** The subject of {@link #client()}, as {@code X500Principal.getName()} spells it. */
  public static final String CLIENT_SUBJECT = "CN=kvdb-test-client";

  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  /** A certificate (chain) file and its private key file. */
  public record KeyPairFiles(Path certificate, Path key) {}

  private final Path caCertificate;
  private final KeyPairFiles server;
  private final KeyPairFiles client;
  private final Path otherCaCertificate;
  private final KeyPairFiles otherClient;

  private TestCertificates(
      Path caCertificate,
      KeyPairFiles server,
      KeyPairFiles client,
      Path otherCaCertificate,
      KeyPairFiles otherClient) {
    this.caCertificate = caCertificate;
    this.server = server;
    this.client = client;
    this.otherCaCertificate = otherCaCertificate;
    this.otherClient = otherClient;
  }

  /** Generates every certificate and writes them into {@code directory}. */
  public static TestCertificates create(Path directory) {
    try {
      Authority ca = Authority.create("CN=KVDB test CA");
      Authority other = Authority.create("CN=Unrelated test CA");
      return new TestCertificates(
          ca.writeCertificate(directory.resolve("ca.pem")),
          ca.issue(
              "CN=localhost",
              KeyPurposeId.id_kp_serverAuth,
              directory.resolve("server"),
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")),
          ca.issue(CLIENT_SUBJECT, KeyPurposeId.id_kp_clientAuth, directory.resolve("client")),
          other.writeCertificate(directory.resolve("other-ca.pem")),
          other.issue(
              "CN=kvdb-stranger", KeyPurposeId.id_kp_clientAuth, directory.resolve("stranger")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate test certificates", e);
    }
  }

  /** The CA that signed {@link #server()} and {@link #client()}. */
  public Path caCertificate() {
    return caCertificate;
  }

  /** For {@code localhost} and {@code 127.0.0.1}. */
  public KeyPairFiles server() {
    return server;
  }

  /** A client certificate with the subject {@link #CLIENT_SUBJECT}. */
  public KeyPairFiles client() {
    return client;
  }

  /** A CA that signed neither the server's nor the client's certificate. */
  public Path otherCaCertificate() {
    return otherCaCertificate;
  }

  /** A client certificate signed by {@link #otherCaCertificate()}. */
  public KeyPairFiles otherClient() {
    return otherClient;
  }

  private record Authority(X500Name name, KeyPair keys, X509CertificateHolder certificate) {
    static Authority create(String subject)
        throws GeneralSecurityException, OperatorCreationException, CertIOException {
      X500Name name = new X500Name(subject);
      KeyPair keys = newKeyPair();
      X509v3CertificateBuilder builder =
          builder(name, name, keys)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new Authority(name, keys, builder.build(signer(keys)));
    }

    KeyPairFiles issue(String subject, KeyPurposeId purpose, Path prefix, GeneralName... names)
        throws GeneralSecurityException, OperatorCreationException, IOException {
      KeyPair subjectKeys = newKeyPair();
      X509v3CertificateBuilder builder =
          builder(name, new X500Name(subject), subjectKeys)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
      if (names.length > 0) {
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      Path certificate = Path.of(prefix + ".pem");
      Path key = Path.of(prefix + "-key.pem");
      write(certificate, builder.build(signer(keys)));
      write(key, new JcaPKCS8Generator(subjectKeys.getPrivate(), null));
      return new KeyPairFiles(certificate, key);
    }

    Path writeCertificate(Path file) throws IOException {
      write(file, certificate);
      return file;
    }

    private static X509v3CertificateBuilder builder(
        X500Name issuer, X500Name subject, KeyPair subjectKeys) {
      Instant now = Instant.now();
      return new JcaX509v3CertificateBuilder(
          issuer,
          BigInteger.valueOf(SERIALS.incrementAndGet()),
          Date.from(now.minus(Duration.ofMinutes(5))),
          Date.from(now.plus(VALIDITY)),
          subject,
          subjectKeys.getPublic());
    }

    private static ContentSigner signer(KeyPair keys) throws OperatorCreationException {
      return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    }

    private static void write(Path file, Object pemObject) throws IOException {
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
          JcaPEMWriter pem = new JcaPEMWriter(out)) {
        pem.writeObject(pemObject);
      }
    }
  }
}
