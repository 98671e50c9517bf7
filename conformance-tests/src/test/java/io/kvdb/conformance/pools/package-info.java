/**
 * Pools and flavors through the SDK, on a gateway of the tests' own with {@code --admin-api} and a
 * control Redis of its own, so the pools they register never reach the shared one.
 */
package io.kvdb.conformance.pools;
