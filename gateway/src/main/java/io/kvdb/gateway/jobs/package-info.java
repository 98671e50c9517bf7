/**
 * Background work that runs on one gateway of all those sharing a Redis. {@code ClusterSingleton}
 * runs a job's step every interval while this gateway holds the job's KVDB lock (in the project
 * {@code #system}, which no client can name), renewing the lease each run, so another gateway takes
 * over within three intervals when the holder dies. {@code Collector} is one round of the queue
 * collector: it empties deleted queues' trash and visits every queue to drop expired messages, free
 * expired claims and due delayed messages, move waiting dead letters and drop registry entries of
 * queues that are gone. The statistics roll-up round belongs to its domain, {@code
 * io.kvdb.gateway.stats}. No reader depends on these jobs: every script checks times itself; they
 * reclaim memory and keep readers' work small.
 */
package io.kvdb.gateway.jobs;
