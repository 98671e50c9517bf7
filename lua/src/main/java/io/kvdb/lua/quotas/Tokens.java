package io.kvdb.lua.quotas;

import io.kvdb.lua.script.ScriptReply;

/**
 * The reply of quotas/take: tokens granted and, when none was, how long until the next one.
 *
 * @param granted tokens taken, at most the number asked for
 * @param waitMs milliseconds until a token is there, when none was granted; else 0
 */
public record Tokens(long granted, long waitMs) {
  static Tokens decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    long granted = reply.nextLong();
    return new Tokens(granted, reply.nextLong());
  }
}
