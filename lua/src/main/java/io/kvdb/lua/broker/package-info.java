/**
 * Channels on Redis streams over {@code lua/scripts/broker/}: {@code Broker} publishes in mode ALL
 * (every subscriber) or ONE (one member of each consumer group), with a retention that never trims
 * what a group has not acknowledged; reads broadcast messages of several channels within a byte
 * budget; reads, acknowledges and hands back group messages, moving those delivered too often to
 * {@code <channel>.dead}. The records are what the reads return. A project's channels share the tag
 * {@code {project}}, so a channel and its dead-letter channel share a slot. The gateway's {@code
 * broker} package serves this one as {@code kvdb.v1.BrokerService}; its Subscribe streams wait for
 * the announcements a publish makes.
 */
package io.kvdb.lua.broker;
