/**
 * Conformance of {@code kvdb.v1.MessageService} ({@code messages.proto}): post, list, get, delete
 * by Zaqar's claim rules, pop, exact queue stats, message ids that belong to their queue and
 * project, and every message consumed exactly once under concurrent producers and consumers. {@code
 * Messaging} holds the helpers the claims and queues tests use too.
 */
package io.kvdb.conformance.messages;
