package io.kvdb.gateway.auth;

import io.grpc.Context;
import java.util.Set;

/**
 * What an authenticated credential may do: act as {@code principal} (a key id, a token's subject, a
 * certificate's subject; shown in audit lines, never a secret) in {@code projects}, or in every
 * project when {@code allProjects}, with {@code roles}.
 */
public record Grant(String principal, boolean allProjects, Set<String> projects, Set<Role> roles) {
  /** What every caller gets with {@code --auth none}: everything. */
  public static final Grant OPEN = new Grant("anonymous", true, Set.of(), Set.of(Role.ADMIN));

  static final Context.Key<Grant> KEY = Context.key("kvdb-grant");

  public Grant {
    projects = Set.copyOf(projects);
    roles = Set.copyOf(roles);
  }

  /** Whether this grant lets its holder act in {@code project} at all. */
  public boolean covers(String project) {
    return allProjects || roles.contains(Role.ADMIN) || projects.contains(project);
  }

  /** Whether this grant holds {@code role} ({@code admin} holds them all). */
  public boolean holds(Role role) {
    return roles.contains(Role.ADMIN) || roles.contains(role);
  }

  /**
   * The current call's grant, as the {@link AuthInterceptor} put it in the gRPC context; {@link
   * #OPEN} outside a call.
   */
  public static Grant current() {
    Grant grant = KEY.get();
    return grant == null ? OPEN : grant;
  }
}
