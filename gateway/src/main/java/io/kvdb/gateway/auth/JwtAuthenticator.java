package io.kvdb.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.grpc.Metadata;
import io.kvdb.gateway.api.ClientCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --auth jwt}: a call's {@code authorization: Bearer <jwt>} is verified with Nimbus JOSE+JWT
 * against an HMAC secret (HS256/384/512) or the RSA and EC public keys of a JWKS file (RS, PS and
 * ES 256/384/512, the key chosen by {@code kid} when the token names one, else each that fits is
 * tried); {@code typ} absent, {@code JWT} or {@code at+jwt}; no other algorithm is accepted, so
 * neither an unsigned token nor one MACed with a public key passes. A token must carry {@code sub}
 * and {@code exp}, the configured issuer and audience, be past its {@code nbf} and not issued in
 * the future (all within the clock skew), and name its roles and projects in the configured claims.
 *
 * <p>The secret file's bytes are the key (a trailing newline dropped), at least 32 of them; as RFC
 * 7518 asks, HS384 and HS512 tokens verify only with a secret of at least 48 and 64 bytes.
 *
 * <p>Roles a token names that the gateway does not know make it refused, not ignored: the roles
 * claim is KVDB's own, so an unknown label is a typo or a newer issuer, and a caller that silently
 * gets less than its issuer meant fails later and more obscurely. {@code "*"} for every project is
 * accepted only with the admin role; admins need no projects claim.
 *
 * <p>Verified tokens are remembered by their hash for at most {@link #CACHE_TTL} and never past
 * {@code exp}, so a client reusing its token pays no signature check per call.
 */
public final class JwtAuthenticator implements Authenticator {
  static final Duration CACHE_TTL = Duration.ofSeconds(60);
  static final int CACHE_CAPACITY = 10_000;
  static final int MIN_SECRET_BYTES = 32;
  static final String PRINCIPAL_PREFIX = "jwt:";
  static final String ALL_PROJECTS = "*";

  private static final Set<JWSAlgorithm> HMAC =
      Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
  private static final Set<JWSAlgorithm> PUBLIC_KEY =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);
  private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");
  private static final int MAX_REASON_CHARS = 200;

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String projectsClaim;
  private final String rolesClaim;
  private final VerifiedTokens verified;

  /**
   * An authenticator reading its key material now.
   *
   * @throws IllegalArgumentException naming the flag whose file is missing, unreadable, unparsable
   *     or too weak
   */
  public static JwtAuthenticator create(JwtSettings settings) {
    return new JwtAuthenticator(settings, Clock.systemUTC());
  }

  JwtAuthenticator(JwtSettings settings, Clock clock) {
    this.projectsClaim = settings.projectsClaim();
    this.rolesClaim = settings.rolesClaim();
    this.verified = new VerifiedTokens(clock, CACHE_TTL, CACHE_CAPACITY);
    processor.setJWSKeySelector(
        settings.hmacSecretFile().isPresent()
            ? new JWSVerificationKeySelector<>(HMAC, secret(settings.hmacSecretFile().get()))
            : new JWSVerificationKeySelector<>(PUBLIC_KEY, publicKeys(settings.jwksFile().get())));
    // Plain JWTs and RFC 9068 access tokens; other types (an ID token's "id_token+jwt"...) are not
    // meant for calling an API.
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN, null));
    processor.setJWTClaimsSetVerifier(new ClaimsVerifier(settings, clock));
  }

  @Override
  public Grant authenticate(Metadata headers, Optional<ClientCertificate> certificate)
      throws AuthenticationException {
    String token =
        BearerCredential.of(headers)
            .orElseThrow(() -> new AuthenticationException("no authorization header"));
    Optional<Grant> cached = verified.get(token);
    if (cached.isPresent()) {
      return cached.get();
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException unparsable) {
      throw new AuthenticationException("bearer token is not a JWT");
    } catch (BadJWSException badSignature) {
      throw new AuthenticationException("JWT signature not verified: " + clean(badSignature));
    } catch (BadJOSEException | JOSEException rejected) {
      throw new AuthenticationException("JWT rejected: " + clean(rejected));
    }
    Grant grant = grant(claims);
    verified.put(token, grant, claims.getExpirationTime().toInstant());
    return grant;
  }

  private Grant grant(JWTClaimsSet claims) throws AuthenticationException {
    String subject = claims.getSubject();
    if (subject.isEmpty() || subject.chars().anyMatch(Character::isISOControl)) {
      throw new AuthenticationException("JWT sub is empty or has control characters");
    }
    Set<Role> roles = roles(claims);
    boolean admin = roles.contains(Role.ADMIN);
    List<String> projects = strings(claims, projectsClaim);
    if (projects == null) {
      if (!admin) {
        throw new AuthenticationException("JWT has no " + projectsClaim + " claim");
      }
      return new Grant(PRINCIPAL_PREFIX + subject, true, Set.of(), roles);
    }
    boolean allProjects = projects.contains(ALL_PROJECTS);
    if (allProjects && !admin) {
      throw new AuthenticationException(
          "JWT " + projectsClaim + " grants every project (\"*\") without the admin role");
    }
    Set<String> named = new HashSet<>(projects);
    named.remove(ALL_PROJECTS);
    if (named.contains("")) {
      throw new AuthenticationException("JWT " + projectsClaim + " names an empty project");
    }
    if (named.isEmpty() && !allProjects && !admin) {
      throw new AuthenticationException("JWT " + projectsClaim + " names no project");
    }
    return new Grant(PRINCIPAL_PREFIX + subject, allProjects, named, roles);
  }

  private Set<Role> roles(JWTClaimsSet claims) throws AuthenticationException {
    List<String> labels = strings(claims, rolesClaim);
    if (labels == null || labels.isEmpty()) {
      throw new AuthenticationException("JWT has no " + rolesClaim + " claim or it is empty");
    }
    Set<Role> roles = new HashSet<>();
    for (String label : labels) {
      roles.add(
          Role.ofLabel(label)
              .orElseThrow(
                  () ->
                      new AuthenticationException(
                          "JWT " + rolesClaim + " names an unknown role: " + clean(label))));
    }
    return roles;
  }

  /** The claim as a list of strings; null when absent. */
  private static List<String> strings(JWTClaimsSet claims, String name)
      throws AuthenticationException {
    try {
      List<String> values = claims.getStringListClaim(name);
      if (values != null && values.contains(null)) {
        throw new ParseException("null element", 0);
      }
      return values;
    } catch (ParseException notStrings) {
      throw new AuthenticationException("JWT " + name + " claim is not an array of strings");
    }
  }

  private static ImmutableSecret<SecurityContext> secret(Path file) {
    byte[] secret = read("--jwt-hmac-secret-file", file);
    int length = secret.length;
    while (length > 0 && (secret[length - 1] == '\n' || secret[length - 1] == '\r')) {
      length--;
    }
    if (length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException(
          "--jwt-hmac-secret-file: the secret in "
              + file
              + " must be at least "
              + MIN_SECRET_BYTES
              + " bytes, it has "
              + length);
    }
    return new ImmutableSecret<>(Arrays.copyOf(secret, length));
  }

  private static JWKSource<SecurityContext> publicKeys(Path file) {
    JWKSet keys;
    try {
      keys = JWKSet.parse(new String(read("--jwt-jwks-file", file), StandardCharsets.UTF_8));
    } catch (ParseException unparsable) {
      throw new IllegalArgumentException(
          "--jwt-jwks-file: " + file + " is not a JWK set: " + unparsable.getMessage());
    }
    List<JWK> usable =
        keys.toPublicJWKSet().getKeys().stream()
            .filter(key -> key.getKeyType() == KeyType.RSA || key.getKeyType() == KeyType.EC)
            .toList();
    if (usable.isEmpty()) {
      throw new IllegalArgumentException(
          "--jwt-jwks-file: " + file + " has no RSA or EC public key");
    }
    return new ImmutableJWKSet<>(new JWKSet(usable));
  }

  private static byte[] read(String flag, Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException unreadable) {
      throw new IllegalArgumentException(
          flag + ": cannot read " + file + " (" + unreadable.getClass().getSimpleName() + ")",
          unreadable);
    }
  }

  /** A reason fit for one audit line: short, without control characters. */
  private static String clean(Exception rejected) {
    return clean(String.valueOf(rejected.getMessage()));
  }

  private static String clean(String reason) {
    String oneLine =
        reason
            .codePoints()
            .map(c -> Character.isISOControl(c) ? '?' : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
    return oneLine.length() > MAX_REASON_CHARS
        ? oneLine.substring(0, MAX_REASON_CHARS) + "..."
        : oneLine;
  }

  /** Nimbus's claim checks on the authenticator's clock, plus {@code iat} not in the future. */
  private static final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {
    private final Clock clock;
    private final Duration skew;

    ClaimsVerifier(JwtSettings settings, Clock clock) {
      super(
          settings.audience().map(Set::of).orElse(null),
          settings
              .issuer()
              .map(issuer -> new JWTClaimsSet.Builder().issuer(issuer).build())
              .orElse(null),
          Set.of(JWTClaimNames.SUBJECT, JWTClaimNames.EXPIRATION_TIME),
          null);
      this.clock = clock;
      this.skew = settings.clockSkew();
      // Nimbus counts skew in whole seconds, as JWT times are; round up so none is lost.
      setMaxClockSkew((int) ((settings.clockSkew().toMillis() + 999) / 1000));
    }

    @Override
    protected Date currentTime() {
      return Date.from(clock.instant());
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
      super.verify(claims, context);
      Date issued = claims.getIssueTime();
      if (issued != null && issued.toInstant().isAfter(clock.instant().plus(skew))) {
        throw new BadJWTException("JWT iat is in the future");
      }
    }
  }
}
