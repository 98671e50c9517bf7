package io.kvdb.client;

import io.kvdb.proto.v1.Role;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The API key {@link KeyClient#create} makes: its roles, the projects it acts in (or all of them,
 * for an administrator), and optionally a description, an expiry and a client certificate identity.
 *
 * <pre>{@code
 * KeyOptions billing = KeyOptions.newBuilder()
 *     .setProjects(List.of("billing"))
 *     .setRoles(Role.ROLE_PRODUCE, Role.ROLE_CONSUME, Role.ROLE_READ)
 *     .setDescription("billing workers")
 *     .build();
 * }</pre>
 */
public final class KeyOptions {
  private final String description;
  private final List<String> projects;
  private final boolean allProjects;
  private final Set<Role> roles;
  private final Instant expireTime;
  private final String certificateIdentity;

  private KeyOptions(Builder builder) {
    this.description = builder.description;
    this.projects = List.copyOf(builder.projects);
    this.allProjects = builder.allProjects;
    this.roles = Collections.unmodifiableSet(EnumSet.copyOf(builder.roles));
    this.expireTime = builder.expireTime;
    this.certificateIdentity = builder.certificateIdentity;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder builder =
        new Builder()
            .setDescription(description)
            .setProjects(projects)
            .setAllProjects(allProjects)
            .setRoles(roles.toArray(Role[]::new))
            .setCertificateIdentity(certificateIdentity);
    builder.expireTime = expireTime;
    return builder;
  }

  public String description() {
    return description;
  }

  public List<String> projects() {
    return projects;
  }

  public boolean allProjects() {
    return allProjects;
  }

  public Set<Role> roles() {
    return roles;
  }

  /** Empty: the key never expires. */
  public Optional<Instant> expireTime() {
    return Optional.ofNullable(expireTime);
  }

  /** Empty when no certificate identity stands for the key. */
  public String certificateIdentity() {
    return certificateIdentity;
  }

  /** Builds {@link KeyOptions}; the gateway checks how the values fit together. */
  public static final class Builder {
    private String description = "";
    private List<String> projects = List.of();
    private boolean allProjects;
    private Set<Role> roles = EnumSet.noneOf(Role.class);
    private Instant expireTime;
    private String certificateIdentity = "";

    private Builder() {}

    /** A label for people, at most 256 characters; default none. */
    public Builder setDescription(String description) {
      this.description = Check.atMost("description", description, 256);
      return this;
    }

    /** The projects the key acts in, at most 100; required unless {@link #setAllProjects}. */
    public Builder setProjects(List<String> projects) {
      Check.notNull("projects", projects);
      if (projects.size() > 100) {
        throw new IllegalArgumentException("projects must be at most 100, was " + projects.size());
      }
      this.projects = new ArrayList<>(projects);
      return this;
    }

    /** Every project, present and future: only for a key with {@link Role#ROLE_ADMIN}. */
    public Builder setAllProjects(boolean allProjects) {
      this.allProjects = allProjects;
      return this;
    }

    /** Required: at least one role; {@link Role#ROLE_ADMIN} implies the others. */
    public Builder setRoles(Role... roles) {
      Set<Role> chosen = EnumSet.noneOf(Role.class);
      for (Role role : Check.notNull("roles", roles)) {
        if (role == null || role == Role.ROLE_UNSPECIFIED || role == Role.UNRECOGNIZED) {
          throw new IllegalArgumentException("roles must be defined roles, was " + role);
        }
        chosen.add(role);
      }
      this.roles = chosen;
      return this;
    }

    /** When the key stops working by itself; default never. */
    public Builder setExpireTime(Instant expireTime) {
      this.expireTime = Check.notNull("expireTime", expireTime);
      return this;
    }

    /**
     * A client certificate identity standing for the key over mutual TLS: a subject such as {@code
     * CN=billing,O=Example} or one subject alternative name ({@code DNS:host}, {@code
     * URI:spiffe://...}); default none.
     */
    public Builder setCertificateIdentity(String certificateIdentity) {
      this.certificateIdentity = Check.notNull("certificateIdentity", certificateIdentity);
      return this;
    }

    public KeyOptions build() {
      if (roles.isEmpty()) {
        throw new IllegalStateException("a key needs at least one role");
      }
      return new KeyOptions(this);
    }
  }
}
