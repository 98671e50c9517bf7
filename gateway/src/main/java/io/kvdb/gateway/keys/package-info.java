/**
 * API keys ({@code --auth keys}): the administrators' {@link io.kvdb.gateway.keys.KeyService} and
 * the {@link io.kvdb.gateway.keys.KeyAuthenticator} that turns a key, or a certificate bound to
 * one, into a grant.
 */
package io.kvdb.gateway.keys;
