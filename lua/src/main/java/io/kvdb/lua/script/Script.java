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
  QUEUE_PURGE("queues/purge"),
  MESSAGE_POST("messages/post"),
  MESSAGE_LIST("messages/list"),
  MESSAGE_GET("messages/get"),
  MESSAGE_DELETE("messages/delete"),
  MESSAGE_POP("messages/pop"),
  MESSAGE_COLLECT("messages/collect"),
  MESSAGE_OUTBOX("messages/outbox"),
  MESSAGE_OUTBOX_ACK("messages/outbox_ack"),
  CLAIM_CREATE("claims/create"),
  CLAIM_GET("claims/get"),
  CLAIM_UPDATE("claims/update"),
  CLAIM_DELETE("claims/delete"),
  CLAIM_SETTLE("claims/settle"),
  STATS_RECORD("stats/record"),
  STATS_ROLLUP("stats/rollup"),
  STATS_READ("stats/read"),
  STATS_DELETE("stats/delete"),
  STATS_SLOW("stats/slow"),
  STATS_SAMPLES("stats/samples"),
  STATS_SETTINGS("stats/settings"),
  BROKER_PUBLISH("broker/publish"),
  BROKER_READ("broker/read"),
  BROKER_READ_GROUP("broker/read_group"),
  BROKER_ACK("broker/ack"),
  BROKER_LEAVE("broker/leave"),
  DICT_PUT_ENTRIES("dict/put_entries"),
  DICT_DELETE_ENTRIES("dict/delete_entries"),
  DICT_PUT_TRANSLATIONS("dict/put_translations"),
  DICT_DELETE_TRANSLATIONS("dict/delete_translations"),
  DICT_TRANSLATE("dict/translate"),
  DICT_EXPORT_PAGE("dict/export_page"),
  DICT_IMPORT_CHUNK("dict/import_chunk"),
  DICT_STAGE_CHUNK("dict/stage_chunk"),
  DICT_CLEAR_STEP("dict/clear_step"),
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
