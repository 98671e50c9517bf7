/**
 * Conformance of {@code kvdb.v1.BrokerService} ({@code broker.proto}): broadcast to every
 * subscriber in order, with replay after the last id seen within the retention; work shared by a
 * group, with redelivery after the ack timeout and dead letters; and validation, a bad stream
 * ending with INVALID_ARGUMENT. {@code Brokering} holds the recording handlers, liveness probes and
 * raw streams the tests share.
 */
package io.kvdb.conformance.broker;
