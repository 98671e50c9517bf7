/**
 * The fault-injection suite ({@code docs/RELIABILITY.md}): real {@code redis-server} processes and
 * gateways in JVMs of their own, SIGKILLed or flushed mid-load, and KVDB's promises checked
 * afterwards as invariants. Each {@code *Test} is a scenario (Redis killed or its scripts flushed,
 * a gateway killed, a lock contended across both, a broker group, a storm of malformed requests, a
 * primary of a Redis Cluster or a Sentinel setup killed under queues and under locks). {@code
 * RedisNode}, {@code ReplicatedRedis} and {@code GatewayNode} are the processes; {@code Fleet} and
 * {@code Project} the clients' view of them; {@code QueueLoad}, {@code LockLoad} and {@code
 * Deliveries} the load and what it saw; {@code Outcomes} and {@code Figures} the calls counted by
 * status and the {@code FIGURES} lines; {@code HostileRequests} and {@code ServiceCatalog} the
 * storm's requests and the methods found through reflection; {@code Seed} the data planted before a
 * fault and read back after it.
 */
package io.kvdb.fault;
