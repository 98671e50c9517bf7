package io.kvdb.lua.script;

/** A script's refusal: the reason, and the text that explains it to a person. */
public final class ScriptRefusedException extends RuntimeException {
  private static final String PREFIX = "KVDB_";

  private final Reason reason;

  public ScriptRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static boolean isScriptError(String reply) {
    return reply != null && reply.startsWith(PREFIX);
  }

  /** Decodes an error reply {@code KVDB_<REASON> text}. */
  static ScriptRefusedException fromReply(String reply) {
    int space = reply.indexOf(' ');
    String name = reply.substring(PREFIX.length(), space < 0 ? reply.length() : space);
    String text = space < 0 ? name.toLowerCase() : reply.substring(space + 1);
    try {
      return new ScriptRefusedException(Reason.valueOf(name), text);
    } catch (IllegalArgumentException unknown) {
      return new ScriptRefusedException(Reason.INTERNAL, "unknown script error: " + reply);
    }
  }
}
