package io.kvdb.gateway.keys;

import com.google.protobuf.Empty;
import io.grpc.stub.StreamObserver;
import io.kvdb.gateway.api.Durations;
import io.kvdb.gateway.api.InvalidArgumentException;
import io.kvdb.gateway.api.Names;
import io.kvdb.gateway.api.PageRequest;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.gateway.api.Unary;
import io.kvdb.lua.keys.ApiKeys;
import io.kvdb.lua.keys.KeyPage;
import io.kvdb.lua.keys.NewKey;
import io.kvdb.lua.keys.StoredKey;
import io.kvdb.proto.v1.CreateKeyRequest;
import io.kvdb.proto.v1.CreatedKey;
import io.kvdb.proto.v1.Key;
import io.kvdb.proto.v1.KeyServiceGrpc;
import io.kvdb.proto.v1.ListKeysRequest;
import io.kvdb.proto.v1.ListKeysResponse;
import io.kvdb.proto.v1.RevokeKeyRequest;
import io.kvdb.proto.v1.Role;
import io.kvdb.proto.v1.RotateKeyRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code kvdb.v1.KeyService}: administrators create, list, revoke and rotate API keys (the role
 * table lets only {@code admin} in). A change through this gateway reaches its authenticator at
 * once.
 */
public final class KeyService extends KeyServiceGrpc.KeyServiceImplBase {
  static final int MAX_DESCRIPTION = 256;
  static final int MAX_PROJECTS = 100;
  static final int MAX_IDENTITY = 1024;
  static final Duration MAX_OVERLAP = Duration.ofDays(7);
  private static final int DEFAULT_PAGE = 100;
  private static final int MAX_PAGE = 1000;

  private final ApiKeys keys;
  private final Runnable changed;

  /** {@code changed} runs after every change, to drop cached lookups. */
  public KeyService(ApiKeys keys, Runnable changed) {
    this.keys = keys;
    this.changed = changed;
  }

  @Override
  public void createKey(CreateKeyRequest request, StreamObserver<CreatedKey> observer) {
    Unary.respond(
        observer,
        () -> {
          String secret = KeySecrets.newSecret();
          StoredKey stored =
              keys.create(validated(request, KeySecrets.newId(), KeySecrets.hash(secret)));
          changed.run();
          return CreatedKey.newBuilder().setKey(toProto(stored)).setSecret(secret).build();
        });
  }

  @Override
  public void listKeys(ListKeysRequest request, StreamObserver<ListKeysResponse> observer) {
    Unary.respond(
        observer,
        () -> {
          PageRequest page =
              PageRequest.of(request.getPageSize(), DEFAULT_PAGE, MAX_PAGE, request.getPageToken());
          if (page.after() != null && !KeySecrets.ID.matcher(page.after()).matches()) {
            throw new InvalidArgumentException(
                "page_token", "is not a token returned by a previous page");
          }
          KeyPage found = keys.list(page.after(), page.size());
          ListKeysResponse.Builder response = ListKeysResponse.newBuilder();
          found.keys().forEach(key -> response.addKeys(toProto(key)));
          if (!found.cursor().isEmpty()) {
            response.setNextPageToken(PageRequest.tokenAfter(found.cursor()));
          }
          return response.build();
        });
  }

  @Override
  public void revokeKey(RevokeKeyRequest request, StreamObserver<Empty> observer) {
    Unary.respond(
        observer,
        () -> {
          keys.revoke(id(request.getId()));
          changed.run();
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void rotateKey(RotateKeyRequest request, StreamObserver<CreatedKey> observer) {
    Unary.respond(
        observer,
        () -> {
          String id = id(request.getId());
          Duration overlap =
              Durations.within(
                  "overlap",
                  request.hasOverlap(),
                  request.getOverlap(),
                  Duration.ZERO,
                  MAX_OVERLAP);
          String secret = KeySecrets.newSecret();
          StoredKey rotated = keys.rotate(id, KeySecrets.hash(secret), overlap);
          changed.run();
          return CreatedKey.newBuilder().setKey(toProto(rotated)).setSecret(secret).build();
        });
  }

  /** The request as the key {@code id} with that secret hash, every field checked. */
  private static NewKey validated(CreateKeyRequest request, String id, String secretHash) {
    String description = request.getDescription();
    if (description.length() > MAX_DESCRIPTION) {
      throw new InvalidArgumentException(
          "description", "must be at most " + MAX_DESCRIPTION + " characters");
    }
    if (request.getProjectsCount() > MAX_PROJECTS) {
      throw new InvalidArgumentException(
          "projects", "must be at most " + MAX_PROJECTS + " projects");
    }
    Set<String> projects = new LinkedHashSet<>();
    for (int i = 0; i < request.getProjectsCount(); i++) {
      projects.add(Names.project("projects." + i, request.getProjects(i)));
    }
    Set<String> roles = roles(request);
    boolean admin = roles.contains(io.kvdb.gateway.auth.Role.ADMIN.label());
    if (request.getAllProjects()) {
      if (!admin) {
        throw new InvalidArgumentException(
            "all_projects", "is only for keys with ROLE_ADMIN; list the projects instead");
      }
      if (!projects.isEmpty()) {
        throw new InvalidArgumentException(
            "projects", "must be empty with all_projects, which covers every project");
      }
    } else if (admin) {
      throw new InvalidArgumentException(
          "all_projects", "must be true with ROLE_ADMIN, which acts in every project");
    } else if (projects.isEmpty()) {
      throw new InvalidArgumentException(
          "projects", "must name at least one project (or all_projects with ROLE_ADMIN)");
    }
    Instant expiresAt =
        request.hasExpireTime() ? ProtoTime.instant("expire_time", request.getExpireTime()) : null;
    return new NewKey(
        id,
        secretHash,
        description,
        request.getAllProjects(),
        List.copyOf(projects),
        List.copyOf(roles),
        expiresAt,
        identity(request.getCertificateIdentity()));
  }

  private static Set<String> roles(CreateKeyRequest request) {
    if (request.getRolesCount() == 0) {
      throw new InvalidArgumentException("roles", "must name at least one role");
    }
    Set<String> roles = new LinkedHashSet<>();
    for (int i = 0; i < request.getRolesCount(); i++) {
      Role role = request.getRoles(i);
      if (role == Role.ROLE_UNSPECIFIED || role == Role.UNRECOGNIZED) {
        throw new InvalidArgumentException(
            "roles." + i,
            "must be ROLE_ADMIN, ROLE_MANAGE, ROLE_PRODUCE, ROLE_CONSUME or ROLE_READ");
      }
      roles.add(label(role));
    }
    return roles;
  }

  private static String identity(String identity) {
    if (identity.length() > MAX_IDENTITY) {
      throw new InvalidArgumentException(
          "certificate_identity", "must be at most " + MAX_IDENTITY + " characters");
    }
    if (!identity.isEmpty() && (identity.isBlank() || identity.chars().anyMatch(c -> c < 0x20))) {
      throw new InvalidArgumentException(
          "certificate_identity",
          "must be a certificate subject (CN=...) or alternative name (DNS:..., URI:...), without"
              + " control characters");
    }
    return identity;
  }

  private static String id(String id) {
    if (!KeySecrets.ID.matcher(id).matches()) {
      throw new InvalidArgumentException("id", "must be 16 lower-case letters and digits");
    }
    return id;
  }

  private static String label(Role role) {
    return role.name().substring("ROLE_".length()).toLowerCase(Locale.ROOT);
  }

  private static Key toProto(StoredKey key) {
    Key.Builder proto =
        Key.newBuilder()
            .setId(key.id())
            .setDescription(key.description())
            .addAllProjects(key.projects())
            .setAllProjects(key.allProjects())
            .setCreateTime(ProtoTime.timestamp(key.createdAt()))
            .setCertificateIdentity(key.certificateIdentity());
    key.roles()
        .forEach(label -> proto.addRoles(Role.valueOf("ROLE_" + label.toUpperCase(Locale.ROOT))));
    if (key.expiresAt() != null) {
      proto.setExpireTime(ProtoTime.timestamp(key.expiresAt()));
    }
    if (key.previousSecretExpiresAt() != null) {
      proto.setPreviousSecretExpireTime(ProtoTime.timestamp(key.previousSecretExpiresAt()));
    }
    return proto.build();
  }
}
