/**
 * How scripts run. {@code Script} names every one, {@code <DOMAIN>_<OP>} for the file {@code
 * lua/scripts/<domain>/<op>.lua}; {@code ScriptSource} reads a file from the classpath and expands
 * its {@code -- @include lib/<name>} lines; {@code ScriptRegistry} loads them all at start and
 * calls them with {@code EVALSHA}, one round trip, loading a script again and retrying once on
 * {@code NOSCRIPT}; {@code ScriptRefusedException} carries a script's {@code KVDB_<REASON> text}
 * error reply as a {@code Reason}; {@code Replies} decodes the RESP values of a reply, and {@code
 * ScriptReply} reads an array reply field by field for the one decoder each script has beside its
 * entry point, in the order of the script's {@code Reply} header. The domain packages run scripts
 * only through this package, and the gateway maps each {@code Reason} to a gRPC status. The
 * conventions scripts follow are in {@code lua/scripts/README.md}.
 */
package io.kvdb.lua.script;
