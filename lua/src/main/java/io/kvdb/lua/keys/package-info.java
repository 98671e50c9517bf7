/**
 * API keys over the {@code keys/*} scripts: records, secret hashes and certificate identities under
 * one hash tag; secrets never reach Redis, only their SHA-256.
 */
package io.kvdb.lua.keys;
