/** Per-project quotas: each quota's refusal, its details, and the projects it leaves alone. */
package io.kvdb.conformance.quotas;
