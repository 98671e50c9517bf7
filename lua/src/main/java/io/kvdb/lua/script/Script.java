package io.kvdb.lua.script;

/**
 * Every Lua script KVDB runs, named after its file under {@code lua/scripts/<domain>/<op>.lua}.
 * The registry loads exactly these at start, so a missing or broken file fails fast.
 */
public enum Script {
  QUEUE_CREATE("queues/create"),
  QUEUE_GET("queues/get"),
  QUEUE_UPDATE("queues/update"),
  QUEUE_DELETE("queues/delete"),
  QUEUE_STATS("queues/stats"),
  LOCK_ACQUIRE("locks/acquire"),
  LOCK_RENEW("locks/renew"),
  LOCK_RELEASE("locks/release"),
  LOCK_GET("locks/get"),
  LOCK_LIST("locks/list");

  private final String path;

  Script(String path) {
    this.path = path;
  }

  /** The script's path below the scripts folder, without the {@code .lua} suffix. */
  public String path() {
    return path;
  }
}
