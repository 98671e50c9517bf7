package io.kvdb.gateway.api;

import io.grpc.Context;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The certificate a caller authenticated with over mutual TLS, as the {@link
 * ClientCertificateInterceptor} puts it in the gRPC context: its subject as {@code
 * X500Principal.getName()} spells it (e.g. {@code CN=billing,O=Example}) and its subject
 * alternative names ({@code DNS:host}, {@code IP:10.0.0.1}, {@code URI:spiffe://...}, {@code
 * email:a@b}). It only identifies the caller; what the caller may do is decided elsewhere.
 */
public record ClientCertificate(String subject, List<String> subjectAlternativeNames) {
  static final Context.Key<ClientCertificate> KEY = Context.key("kvdb-client-certificate");

  /** The prefixes of the string-valued name types of RFC 5280's GeneralName. */
  private static final Map<Integer, String> NAME_TYPES =
      Map.of(1, "email:", 2, "DNS:", 6, "URI:", 7, "IP:");

  public ClientCertificate {
    subjectAlternativeNames = List.copyOf(subjectAlternativeNames);
  }

  /** The current call's client certificate; empty without TLS or when the client sent none. */
  public static Optional<ClientCertificate> current() {
    return Optional.ofNullable(KEY.get());
  }

  /** The verified leaf certificate of the session's peer, if it presented one. */
  static Optional<ClientCertificate> of(SSLSession session) {
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException none) {
      return Optional.empty();
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return Optional.empty();
    }
    return Optional.of(
        new ClientCertificate(leaf.getSubjectX500Principal().getName(), alternativeNames(leaf)));
  }

  private static List<String> alternativeNames(X509Certificate certificate) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException unparsable) {
      return List.of();
    }
    if (names == null) {
      return List.of();
    }
    return names.stream()
        .filter(name -> NAME_TYPES.containsKey(name.get(0)) && name.get(1) instanceof String)
        .map(name -> NAME_TYPES.get(name.get(0)) + name.get(1))
        .toList();
  }
}
