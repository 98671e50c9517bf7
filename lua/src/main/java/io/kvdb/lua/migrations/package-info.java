/**
 * Moving a live queue between pools, over {@code lua/scripts/migrations/}: {@code Migrations} keeps
 * a migration's record and the catalogue in the control Redis (start, progress, cancel, end, get),
 * {@code QueueMoves} runs the data steps in one pool (mark the source, prepare the target, take a
 * batch into the transit, put it, ack it, finish the source). The protocol and why each step is
 * safe to replay is in docs/ARCHITECTURE.md, "Pools, the catalogue and moving a queue"; the
 * gateway's {@code pools.Migrator} drives it.
 */
package io.kvdb.lua.migrations;
