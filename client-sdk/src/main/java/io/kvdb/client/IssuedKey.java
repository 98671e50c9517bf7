package io.kvdb.client;

import io.kvdb.proto.v1.Key;

/**
 * A key just created or rotated, with its secret: the one time the gateway shows it. Send it with
 * {@link KvdbClientOptions.Builder#setApiKey}. {@link #toString()} does not show the secret.
 */
public record IssuedKey(Key key, String secret) {
  public IssuedKey {
    Check.notNull("key", key);
    Check.notNull("secret", secret);
  }

  @Override
  public String toString() {
    return "IssuedKey[id=" + key.getId() + ", secret=<redacted>]";
  }
}
