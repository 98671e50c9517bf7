/**
 * Who may call what: every RPC of every service, walked by {@code RpcWalker} with each kind of bad
 * credential, must be refused with UNAUTHENTICATED or PERMISSION_DENIED, say nothing of the
 * resource it names, return no data and change nothing in Redis ({@code RedisDigest}).
 */
package io.kvdb.conformance.auth;
