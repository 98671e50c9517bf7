/**
 * The behaviour suite's common ground. Every test speaks gRPC only, through the SDK or raw stubs,
 * to one target: the gateway named by {@code -Dkvdb.target=host:port}, or else one started
 * in-process on the test Redis; and each test works in projects of its own, so the suite runs
 * unchanged against a shared or deployed gateway. {@code Expect} asserts KVDB errors (status code,
 * {@code ErrorInfo} reason and, for bad input, the field). The tests in this package cover what no
 * domain owns: health, reflection, error details, bodies that do not parse, names and projects. One
 * subpackage per domain, named as its proto file, holds that domain's tests beside their fixtures.
 */
package io.kvdb.conformance;
