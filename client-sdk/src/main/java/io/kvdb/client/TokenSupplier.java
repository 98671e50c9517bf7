package io.kvdb.client;

/**
 * Gets a fresh token, e.g. from an identity provider; {@link
 * KvdbClientOptions.Builder#setTokenSupplier} explains when it is called. It may block (it runs on
 * a thread of the client's own, never on a caller's or gRPC's); what it throws fails the waiting
 * calls with {@code UNAUTHENTICATED}, its cause attached.
 */
@FunctionalInterface
public interface TokenSupplier {
  BearerToken get() throws Exception;
}
