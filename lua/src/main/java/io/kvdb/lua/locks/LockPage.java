package io.kvdb.lua.locks;

import java.util.List;

/** Held locks in name order, and the name to continue after ({@code null} at the end). */
public record LockPage(List<LockState> locks, String continueAfter) {
  public LockPage {
    locks = List.copyOf(locks);
  }
}
