package io.kvdb.lua.quotas;

import io.kvdb.lua.script.ScriptReply;

/** A project's quota and its usage: the reply of quotas/get. */
public record QuotaState(Quota quota, QuotaUsage usage) {
  static QuotaState decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    Quota quota =
        new Quota(
            reply.nextLong(),
            reply.nextLong(),
            reply.nextLong(),
            reply.nextLong(),
            reply.nextLong(),
            reply.nextLong());
    long queues = reply.nextLong();
    long channels = reply.nextLong();
    long messages = reply.nextLong();
    long bytes = reply.nextLong();
    return new QuotaState(
        quota, new QuotaUsage(queues, channels, messages, bytes, reply.nextLong()));
  }
}
