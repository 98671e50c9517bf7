/**
 * Hand-written helpers beside the contract. The contract is {@code
 * proto/src/main/proto/kvdb/v1/*.proto}: one file per domain (broker, claims, dictionaries, locks,
 * messages, queues, stats), whose names are the domains' names throughout the code, and {@code
 * errors.proto} for {@code ErrorReason}; all in the package {@code kvdb.v1}, generated with their
 * gRPC stubs into {@code io.kvdb.proto.v1}. {@code Contract} lists the files that declare services,
 * the one list the SDK's retry policy and the tests walk. {@code StructValues} converts {@code
 * google.protobuf.Struct} to plain Java values and back; it lives here because the gateway and the
 * SDK, which both depend on this module and not on each other, need it.
 */
package io.kvdb.proto;
