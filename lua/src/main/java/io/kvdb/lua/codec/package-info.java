/**
 * msgpack for the JSON-like values KVDB stores (queue metadata, message and broker attributes):
 * {@code MsgpackValues} encodes and decodes null, booleans, numbers, strings, lists and maps,
 * writing whole numbers as integers so that {@code cmsgpack} inside the scripts reads them as
 * numbers. Used by the domain packages; the contract's counterpart, {@code google.protobuf.Struct}
 * to the same Java values, is {@code io.kvdb.proto.StructValues}.
 */
package io.kvdb.lua.codec;
