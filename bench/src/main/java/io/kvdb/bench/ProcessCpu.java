package io.kvdb.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * A process whose CPU time (user + system, all threads) the bench reads: itself, or the gateway it
 * started as a child. On Linux the JDK reads {@code /proc/<pid>/stat}, in clock ticks (10 ms),
 * which is precise enough over measured periods of seconds.
 */
record ProcessCpu(String name, ProcessHandle process) {
  static ProcessCpu ofThisProcess() {
    return new ProcessCpu("bench", ProcessHandle.current());
  }

  /** Empty when the system does not tell, or the process is gone. */
  Optional<Duration> total() {
    return process.info().totalCpuDuration();
  }
}
