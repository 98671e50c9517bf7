package io.kvdb.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.grpc.Metadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens signed here with keys generated here, verified by a real {@link JwtAuthenticator}. */
class JwtAuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final String ISSUER = "https://issuer.example";
  private static final String AUDIENCE = "kvdb";

  private static RSAKey rsa;
  private static ECKey ec;
  private static byte[] secret;

  @TempDir static Path dir;
  private static Path secretFile;
  private static Path jwksFile;

  private final MovableClock clock = new MovableClock(NOW);

  @BeforeAll
  static void keys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    // Hex text, since random bytes could end in a newline, which the gateway strips.
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    secret = HexFormat.of().formatHex(random).getBytes(StandardCharsets.US_ASCII);
    secretFile = Files.write(dir.resolve("secret"), secret);
    jwksFile =
        Files.writeString(
            dir.resolve("jwks.json"),
            new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
  }

  @Test
  void goodHmacTokenGivesItsGrant() throws Exception {
    Grant grant = hmac().authenticate(bearer(hs256(claims())), Optional.empty());
    assertEquals(
        new Grant("jwt:alice", false, Set.of("billing", "shop"), Set.of(Role.PRODUCE, Role.READ)),
        grant);
  }

  @Test
  void everyAllowedAlgorithmVerifies() throws Exception {
    assertOk(hmac(), sign(new MACSigner(secret), JWSAlgorithm.HS384, null, claims()));
    assertOk(hmac(), sign(new MACSigner(secret), JWSAlgorithm.HS512, null, claims()));
    assertOk(jwks(), sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims()));
    assertOk(jwks(), sign(new RSASSASigner(rsa), JWSAlgorithm.PS512, "rsa-1", claims()));
    assertOk(jwks(), sign(new ECDSASigner(ec), JWSAlgorithm.ES256, "ec-1", claims()));
  }

  @Test
  void onlyJwtAndAccessTokenTypesAreAccepted() throws Exception {
    MACSigner signer = new MACSigner(secret);
    for (String type : List.of("JWT", "at+jwt")) {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType(type)).build(),
              claims());
      jwt.sign(signer);
      assertOk(hmac(), jwt.serialize());
    }
    SignedJWT idToken =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new JOSEObjectType("id_token+jwt"))
                .build(),
            claims());
    idToken.sign(signer);
    assertRefused(hmac(), idToken.serialize(), "JWT rejected");
  }

  @Test
  void adminNeedsNoProjectsAndMayHaveAll() throws Exception {
    Grant noClaim =
        hmac()
            .authenticate(
                bearer(
                    hs256(
                        claims(
                            b ->
                                b.claim("kvdb_projects", null)
                                    .claim("kvdb_roles", List.of("admin"))))),
                Optional.empty());
    assertTrue(noClaim.allProjects());
    Grant star =
        hmac()
            .authenticate(
                bearer(
                    hs256(
                        claims(
                            b ->
                                b.claim("kvdb_projects", List.of("*"))
                                    .claim("kvdb_roles", List.of("admin"))))),
                Optional.empty());
    assertTrue(star.allProjects());
    assertEquals(Set.of(), star.projects());
  }

  @Test
  void starWithoutAdminIsRefused() throws Exception {
    assertRefused(
        hmac(), hs256(claims(b -> b.claim("kvdb_projects", List.of("*", "shop")))), "admin");
  }

  @Test
  void unknownRoleIsRefused() throws Exception {
    assertRefused(
        hmac(),
        hs256(claims(b -> b.claim("kvdb_roles", List.of("read", "superuser")))),
        "superuser");
  }

  @Test
  void missingOrMalformedClaimsAreRefused() throws Exception {
    JwtAuthenticator auth = hmac();
    assertRefused(auth, hs256(claims(b -> b.expirationTime(null))), "exp");
    assertRefused(auth, hs256(claims(b -> b.subject(null))), "sub");
    assertRefused(auth, hs256(claims(b -> b.claim("kvdb_roles", null))), "kvdb_roles");
    assertRefused(auth, hs256(claims(b -> b.claim("kvdb_roles", List.of()))), "kvdb_roles");
    assertRefused(auth, hs256(claims(b -> b.claim("kvdb_projects", null))), "kvdb_projects");
    assertRefused(auth, hs256(claims(b -> b.claim("kvdb_projects", List.of()))), "kvdb_projects");
    assertRefused(auth, hs256(claims(b -> b.claim("kvdb_projects", "billing"))), "kvdb_projects");
    assertRefused(auth, hs256(claims(b -> b.claim("kvdb_roles", List.of(1, 2)))), "kvdb_roles");
    assertRefused(auth, hs256(claims(b -> b.subject("eve\nforged line"))), "sub");
  }

  @Test
  void claimNamesAreConfigurable() throws Exception {
    JwtAuthenticator auth =
        authenticator(secretFile, null, null, null, Duration.ZERO, "tenants", "perms");
    Grant grant =
        auth.authenticate(
            bearer(
                hs256(
                    claims(
                        b ->
                            b.claim("tenants", List.of("x"))
                                .claim("perms", List.of("consume"))
                                .claim("kvdb_projects", null)
                                .claim("kvdb_roles", null)))),
            Optional.empty());
    assertEquals(Set.of("x"), grant.projects());
    assertEquals(Set.of(Role.CONSUME), grant.roles());
  }

  @Test
  void expiredAndNotYetValidTokensAreRefused() throws Exception {
    JwtAuthenticator auth = hmac();
    assertRefused(auth, hs256(claims(b -> b.expirationTime(at(-1)))), "xpired");
    assertRefused(auth, hs256(claims(b -> b.notBeforeTime(at(60)))), "before");
    assertRefused(auth, hs256(claims(b -> b.issueTime(at(60)))), "iat");
  }

  @Test
  void clockSkewIsToleratedUpToItsBound() throws Exception {
    JwtAuthenticator auth =
        authenticator(secretFile, null, null, null, Duration.ofSeconds(30), null, null);
    assertOk(auth, hs256(claims(b -> b.expirationTime(at(-29)))));
    assertRefused(auth, hs256(claims(b -> b.expirationTime(at(-31)))), "xpired");
    assertOk(auth, hs256(claims(b -> b.notBeforeTime(at(29)))));
    assertRefused(auth, hs256(claims(b -> b.notBeforeTime(at(31)))), "before");
    assertOk(auth, hs256(claims(b -> b.issueTime(at(29)))));
    assertRefused(auth, hs256(claims(b -> b.issueTime(at(31)))), "iat");
  }

  @Test
  void issuerAndAudienceAreRequiredWhenConfigured() throws Exception {
    JwtAuthenticator auth =
        authenticator(secretFile, null, ISSUER, AUDIENCE, Duration.ZERO, null, null);
    UnaryOperator<JWTClaimsSet.Builder> good =
        b -> b.issuer(ISSUER).audience(List.of("x", AUDIENCE));
    assertOk(auth, hs256(claims(good)));
    assertRefused(auth, hs256(claims(b -> good.apply(b).issuer("https://evil.example"))), "iss");
    assertRefused(auth, hs256(claims(b -> good.apply(b).issuer(null))), "iss");
    assertRefused(auth, hs256(claims(b -> good.apply(b).audience("other"))), "aud");
    assertRefused(auth, hs256(claims(b -> good.apply(b).audience((String) null))), "aud");
  }

  @Test
  void wrongSignaturesAreRefused() throws Exception {
    byte[] other = new byte[48];
    new SecureRandom().nextBytes(other);
    assertRefused(
        hmac(), sign(new MACSigner(other), JWSAlgorithm.HS256, null, claims()), "signature");
    RSAKey impostor = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    assertRefused(
        jwks(),
        sign(new RSASSASigner(impostor), JWSAlgorithm.RS256, "rsa-1", claims()),
        "signature");
    String good = hs256(claims());
    String tampered =
        good.substring(0, good.lastIndexOf('.') + 1)
            + "AAAA"
            + good.substring(good.lastIndexOf('.') + 5);
    assertRefused(hmac(), tampered, "signature");
  }

  @Test
  void unknownKidIsRefused() throws Exception {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    assertRefused(
        jwks(),
        sign(new RSASSASigner(stranger), JWSAlgorithm.RS256, "rsa-2", claims()),
        "JWT rejected");
  }

  @Test
  void unsignedTokensAreRefused() throws Exception {
    assertRefused(hmac(), new PlainJWT(claims()).serialize(), "JWT rejected");
    assertRefused(jwks(), new PlainJWT(claims()).serialize(), "JWT rejected");
  }

  @Test
  void hmacWithThePublicKeyIsRefused() throws Exception {
    byte[] publicKey = rsa.toRSAPublicKey().getEncoded();
    assertRefused(
        jwks(),
        sign(new MACSigner(publicKey), JWSAlgorithm.HS256, "rsa-1", claims()),
        "JWT rejected");
    byte[] jwkBytes = rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    assertRefused(
        jwks(),
        sign(new MACSigner(jwkBytes), JWSAlgorithm.HS256, "rsa-1", claims()),
        "JWT rejected");
  }

  @Test
  void publicKeyTokensAreRefusedByAnHmacGateway() throws Exception {
    assertRefused(
        hmac(), sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, "rsa-1", claims()), "JWT rejected");
  }

  @Test
  void garbageHeadersAreRefused() throws Exception {
    JwtAuthenticator auth = hmac();
    assertRefusedHeaders(auth, new Metadata(), "no authorization");
    assertRefusedHeaders(auth, header("Basic dXNlcjpwYXNz"), "not a Bearer");
    assertRefusedHeaders(auth, header("Bearer"), "not a Bearer");
    assertRefusedHeaders(auth, header("Bearer    "), "empty");
    assertRefusedHeaders(auth, header("Bearer not-a-jwt"), "not a JWT");
    assertRefusedHeaders(auth, header("Bearer a.b.c"), "not a JWT");
    Metadata twice = bearer(hs256(claims()));
    twice.put(Authenticator.AUTHORIZATION, "Bearer " + hs256(claims()));
    assertRefusedHeaders(auth, twice, "more than one");
    assertOk(auth, "Bearer " + hs256(claims()), true);
  }

  @Test
  void aCachedTokenStillExpires() throws Exception {
    JwtAuthenticator auth = hmac();
    String token = hs256(claims(b -> b.expirationTime(at(10))));
    assertOk(auth, token);
    assertOk(auth, token);
    clock.now = NOW.plusSeconds(10);
    assertRefused(auth, token, "xpired");
  }

  @Test
  void reasonsNeverContainTheToken() throws Exception {
    String token = hs256(claims(b -> b.expirationTime(at(-100))));
    AuthenticationException refused =
        assertThrows(
            AuthenticationException.class,
            () -> hmac().authenticate(bearer(token), Optional.empty()));
    assertFalse(refused.getMessage().contains(token.substring(token.lastIndexOf('.') + 1)));
    assertFalse(refused.getMessage().contains(token.substring(0, 20)));
  }

  @Test
  void unusableKeyMaterialFailsStartNamingTheFlag() throws Exception {
    assertStartFails(dir.resolve("absent"), null, "--jwt-hmac-secret-file");
    assertStartFails(
        Files.writeString(dir.resolve("short"), "0123456789012345678901234567890\n"),
        null,
        "at least 32 bytes");
    assertStartFails(null, dir.resolve("absent.json"), "--jwt-jwks-file");
    assertStartFails(
        null, Files.writeString(dir.resolve("bad.json"), "{not json"), "--jwt-jwks-file");
    OctetSequenceKey oct = new OctetSequenceKeyGenerator(256).keyID("oct").generate();
    assertStartFails(
        null,
        Files.writeString(dir.resolve("oct.json"), new JWKSet(oct).toString(false)),
        "no RSA or EC public key");
    IllegalArgumentException neither =
        assertThrows(
            IllegalArgumentException.class,
            () -> JwtSettings.of(null, null, null, null, Duration.ZERO, null, null));
    assertTrue(neither.getMessage().contains("exactly one"));
    assertThrows(
        IllegalArgumentException.class,
        () -> JwtSettings.of(secretFile, jwksFile, null, null, Duration.ZERO, null, null));
  }

  @Test
  void aSecretFileMayEndWithANewline() throws Exception {
    Path withNewline =
        Files.write(
            dir.resolve("secret-nl"),
            (new String(secret, StandardCharsets.ISO_8859_1) + "\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    assertOk(
        authenticator(withNewline, null, null, null, Duration.ZERO, null, null), hs256(claims()));
  }

  private void assertStartFails(Path secretPath, Path jwksPath, String expected) {
    IllegalArgumentException failure =
        assertThrows(
            IllegalArgumentException.class,
            () -> authenticator(secretPath, jwksPath, null, null, Duration.ZERO, null, null));
    assertTrue(failure.getMessage().contains(expected), failure.getMessage());
  }

  private JwtAuthenticator hmac() {
    return authenticator(secretFile, null, null, null, Duration.ZERO, null, null);
  }

  private JwtAuthenticator jwks() {
    return authenticator(null, jwksFile, null, null, Duration.ZERO, null, null);
  }

  private JwtAuthenticator authenticator(
      Path secretPath,
      Path jwksPath,
      String issuer,
      String audience,
      Duration skew,
      String projectsClaim,
      String rolesClaim) {
    return new JwtAuthenticator(
        JwtSettings.of(secretPath, jwksPath, issuer, audience, skew, projectsClaim, rolesClaim),
        clock);
  }

  private static JWTClaimsSet claims() {
    return claims(UnaryOperator.identity());
  }

  private static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
    return change
        .apply(
            new JWTClaimsSet.Builder()
                .subject("alice")
                .issueTime(at(-10))
                .expirationTime(at(300))
                .claim("kvdb_projects", List.of("billing", "shop"))
                .claim("kvdb_roles", List.of("produce", "read")))
        .build();
  }

  private static Date at(long secondsFromNow) {
    return Date.from(NOW.plusSeconds(secondsFromNow));
  }

  private static String hs256(JWTClaimsSet claims) throws JOSEException {
    return sign(new MACSigner(secret), JWSAlgorithm.HS256, null, claims);
  }

  private static String sign(JWSSigner signer, JWSAlgorithm alg, String kid, JWTClaimsSet claims)
      throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  private static Metadata bearer(String token) {
    return header("Bearer " + token);
  }

  private static Metadata header(String value) {
    Metadata headers = new Metadata();
    headers.put(Authenticator.AUTHORIZATION, value);
    return headers;
  }

  private static void assertOk(JwtAuthenticator auth, String token) throws Exception {
    assertOk(auth, "Bearer " + token, true);
  }

  private static void assertOk(JwtAuthenticator auth, String header, boolean raw) throws Exception {
    assertEquals("jwt:alice", auth.authenticate(header(header), Optional.empty()).principal());
  }

  private static void assertRefused(JwtAuthenticator auth, String token, String reason) {
    assertRefusedHeaders(auth, bearer(token), reason);
  }

  private static void assertRefusedHeaders(JwtAuthenticator auth, Metadata headers, String reason) {
    AuthenticationException refused =
        assertThrows(
            AuthenticationException.class, () -> auth.authenticate(headers, Optional.empty()));
    assertTrue(refused.getMessage().contains(reason), refused.getMessage());
  }
}
