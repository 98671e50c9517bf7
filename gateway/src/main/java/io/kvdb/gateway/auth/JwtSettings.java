package io.kvdb.gateway.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How {@code --auth jwt} verifies tokens: the key material (an HMAC secret file or a JWKS file of
 * RSA/EC public keys, exactly one), the issuer and audience a token must name when they are set,
 * the clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}, and the claims that carry a
 * token's projects and roles.
 */
public record JwtSettings(
    Optional<Path> hmacSecretFile,
    Optional<Path> jwksFile,
    Optional<String> issuer,
    Optional<String> audience,
    Duration clockSkew,
    String projectsClaim,
    String rolesClaim) {

  public static final String DEFAULT_PROJECTS_CLAIM = "kvdb_projects";
  public static final String DEFAULT_ROLES_CLAIM = "kvdb_roles";

  /**
   * Settings as the flags give them (null for a flag not given).
   *
   * @throws IllegalArgumentException naming the flag that is missing, doubled or blank
   */
  public static JwtSettings of(
      Path hmacSecretFile,
      Path jwksFile,
      String issuer,
      String audience,
      Duration clockSkew,
      String projectsClaim,
      String rolesClaim) {
    if ((hmacSecretFile == null) == (jwksFile == null)) {
      throw new IllegalArgumentException(
          "--auth jwt needs exactly one of --jwt-hmac-secret-file and --jwt-jwks-file");
    }
    return new JwtSettings(
        Optional.ofNullable(hmacSecretFile),
        Optional.ofNullable(jwksFile),
        Optional.ofNullable(nonBlank("--jwt-issuer", issuer)),
        Optional.ofNullable(nonBlank("--jwt-audience", audience)),
        clockSkew,
        claim("--jwt-projects-claim", projectsClaim, DEFAULT_PROJECTS_CLAIM),
        claim("--jwt-roles-claim", rolesClaim, DEFAULT_ROLES_CLAIM));
  }

  public JwtSettings {
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("--jwt-clock-skew-ms must not be negative");
    }
    if (projectsClaim.equals(rolesClaim)) {
      throw new IllegalArgumentException(
          "--jwt-projects-claim and --jwt-roles-claim must name different claims");
    }
  }

  private static String claim(String flag, String name, String fallback) {
    return name == null ? fallback : nonBlank(flag, name);
  }

  private static String nonBlank(String flag, String value) {
    if (value != null && value.isBlank()) {
      throw new IllegalArgumentException(flag + " must not be blank");
    }
    return value;
  }
}
