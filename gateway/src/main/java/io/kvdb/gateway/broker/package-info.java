/**
 * {@code kvdb.v1.BrokerService} ({@code broker.proto}) over {@code io.kvdb.lua.broker} and {@code
 * lua/scripts/broker/}: {@code BrokerService} validates and publishes; {@code Subscription} is one
 * Subscribe stream, which reads only when the client can take more (and, for a group, while it
 * holds fewer than {@code max_unacked}), waits for publish announcements between reads ({@code
 * io.kvdb.gateway.wait}), and hands what a group member held back to its group when the stream
 * ends; {@code UnackedDeliveries} tracks the group messages one stream holds unacknowledged and
 * those that fell overdue.
 */
package io.kvdb.gateway.broker;
