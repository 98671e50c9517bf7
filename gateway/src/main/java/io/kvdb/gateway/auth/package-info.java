/**
 * Who is calling and what they may do: an {@link io.kvdb.gateway.auth.Authenticator} per {@code
 * --auth} mode turns a call's credential into a {@link io.kvdb.gateway.auth.Grant} of projects and
 * {@link io.kvdb.gateway.auth.Role roles}, which is checked against the role each RPC needs before
 * the service method runs.
 */
package io.kvdb.gateway.auth;
