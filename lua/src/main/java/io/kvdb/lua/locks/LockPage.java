package io.kvdb.lua.locks;

import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.List;

/** Held locks in name order, and the name to continue after ({@code null} at the end). */
public record LockPage(List<LockState> locks, String continueAfter) {
  /** Fields per lock in a locks/list reply: name, then those {@link LockState#readHeld} reads. */
  private static final int FIELDS = 5;

  public LockPage {
    locks = List.copyOf(locks);
  }

  /** Decodes the reply of locks/list. */
  static LockPage decode(Object result) {
    ScriptReply reply = ScriptReply.of(result);
    String cursor = reply.nextString();
    List<LockState> locks = new ArrayList<>();
    while (reply.remaining() >= FIELDS) {
      locks.add(LockState.readHeld(reply.nextString(), reply));
    }
    return new LockPage(locks, cursor.isEmpty() ? null : cursor);
  }
}
