package io.kvdb.lua.locks;

/** A lock, named within its project. Both parts are validated by the caller. */
public record LockRef(String project, String name) {
  /** {@code project/name}: unique across projects, as announced on release. */
  public String id() {
    return project + "/" + name;
  }
}
