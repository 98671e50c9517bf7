package io.kvdb.lua.script;

import java.util.Locale;

/**
 * Every Lua script KVDB runs, named {@code <DOMAIN>_<OP>} after its file {@code
 * lua/scripts/<domain>/<op>.lua}. The registry loads exactly these at start, so a missing or broken
 * file fails fast.
 */
public enum Script {
  QUEUES_CREATE,
  QUEUES_GET,
  QUEUES_UPDATE,
  QUEUES_DELETE,
  QUEUES_STATS,
  QUEUES_PURGE,
  MESSAGES_POST,
  MESSAGES_LIST,
  MESSAGES_GET,
  MESSAGES_DELETE,
  MESSAGES_POP,
  MESSAGES_COLLECT,
  MESSAGES_OUTBOX,
  MESSAGES_OUTBOX_ACK,
  CLAIMS_CREATE,
  CLAIMS_GET,
  CLAIMS_UPDATE,
  CLAIMS_DELETE,
  CLAIMS_SETTLE,
  STATS_RECORD,
  STATS_ROLLUP,
  STATS_READ,
  STATS_DELETE,
  STATS_SLOW,
  STATS_SAMPLES,
  STATS_SETTINGS,
  BROKER_PUBLISH,
  BROKER_READ,
  BROKER_READ_GROUP,
  BROKER_ACK,
  BROKER_LEAVE,
  DICTIONARIES_PUT_ENTRIES,
  DICTIONARIES_DELETE_ENTRIES,
  DICTIONARIES_PUT_TRANSLATIONS,
  DICTIONARIES_DELETE_TRANSLATIONS,
  DICTIONARIES_TRANSLATE,
  DICTIONARIES_EXPORT_PAGE,
  DICTIONARIES_IMPORT_CHUNK,
  DICTIONARIES_STAGE_CHUNK,
  DICTIONARIES_CLEAR_STEP,
  LOCKS_ACQUIRE,
  LOCKS_RENEW,
  LOCKS_RELEASE,
  LOCKS_GET,
  LOCKS_LIST,
  KEYS_CREATE,
  KEYS_REVOKE,
  KEYS_ROTATE,
  KEYS_LIST,
  KEYS_LOOKUP,
  QUOTAS_SET,
  QUOTAS_GET,
  QUOTAS_TAKE,
  QUOTAS_ADMIT_QUEUE,
  CATALOGUE_PLACE,
  CATALOGUE_FORGET;

  /**
   * The script's path below the scripts folder, without the {@code .lua} suffix: the domain (the
   * proto file's name, which is also the Java package's) and the operation.
   */
  public String path() {
    return name().toLowerCase(Locale.ROOT).replaceFirst("_", "/");
  }
}
