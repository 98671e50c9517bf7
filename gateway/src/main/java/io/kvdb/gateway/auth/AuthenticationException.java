package io.kvdb.gateway.auth;

/**
 * A call's credential is missing or not good: the caller gets UNAUTHENTICATED with a fixed message;
 * this exception's message (why, without the secret) goes to the audit log only.
 */
public final class AuthenticationException extends Exception {
  public AuthenticationException(String why) {
    super(why, null, false, false);
  }
}
