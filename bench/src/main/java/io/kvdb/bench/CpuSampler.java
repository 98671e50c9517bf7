package io.kvdb.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU time of the bench's processes over a measured period: sampled at its start and its end. */
final class CpuSampler {
  private final List<ProcessCpu> processes;
  private final String note;
  private final Map<String, Duration> before = new LinkedHashMap<>();

  /** {@code note} says what the figures include, e.g. a gateway running inside the bench. */
  CpuSampler(List<ProcessCpu> processes, String note) {
    this.processes = List.copyOf(processes);
    this.note = note;
  }

  void start() {
    before.clear();
    processes.forEach(process -> process.total().ifPresent(cpu -> before.put(process.name(), cpu)));
  }

  /** What each process spent since {@link #start}; a process that could not be read is left out. */
  CpuSpent stop() {
    Map<String, Duration> spent = new LinkedHashMap<>();
    for (ProcessCpu process : processes) {
      Duration start = before.get(process.name());
      process
          .total()
          .filter(end -> start != null)
          .ifPresent(end -> spent.put(process.name(), end.minus(start)));
    }
    return new CpuSpent(spent, note);
  }
}
