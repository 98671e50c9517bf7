/**
 * Messages of a queue over {@code lua/scripts/messages/}: {@code Messages} posts, lists, gets,
 * deletes and pops, each in one script call, and gives the background collector its bounded step
 * ({@code collect}) and the dead-letter outbox (read it, move letters into their dead-letter queue
 * with an idempotent post, forget the moved ones). A message is a hash under its queue's hash tag
 * (the layout is in {@code lua/scripts/lib/messages.lua}); the records here are a message as
 * stored, a page, a message to post and a dead letter, and the decoding of the message fields that
 * message and claim scripts share. Claims on the same messages are {@code io.kvdb.lua.claims}; the
 * gateway's {@code messages} package serves this one as {@code kvdb.v1.MessageService}.
 */
package io.kvdb.lua.messages;
