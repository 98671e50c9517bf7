package io.kvdb.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * CPU time each process spent over one measured period, by name ({@code bench}, {@code gateway},
 * {@code redis}), and notes on what the figures include.
 */
record CpuSpent(Map<String, Duration> byProcess, List<String> notes) {
  static final CpuSpent NONE = new CpuSpent(Map.of(), List.of());

  CpuSpent {
    byProcess = Collections.unmodifiableMap(new LinkedHashMap<>(byProcess));
    notes = List.copyOf(notes);
  }

  CpuSpent(Map<String, Duration> byProcess, String note) {
    this(byProcess, note.isEmpty() ? List.of() : List.of(note));
  }

  CpuSpent with(String process, Duration spent) {
    Map<String, Duration> more = new LinkedHashMap<>(byProcess);
    more.put(process, spent);
    return new CpuSpent(more, notes);
  }

  CpuSpent noting(String note) {
    List<String> more = new ArrayList<>(notes);
    more.add(note);
    return new CpuSpent(byProcess, more);
  }

  /** Microseconds of each process's CPU per one of {@code count} (operations or items). */
  Map<String, Double> microsPer(double count) {
    Map<String, Double> per = new LinkedHashMap<>();
    if (count > 0) {
      byProcess.forEach((process, spent) -> per.put(process, spent.toNanos() / 1e3 / count));
    }
    return per;
  }

  /** E.g. {@code bench 72 us, gateway 110 us, redis 44 us (notes; ...)}. */
  static String describe(Map<String, Double> micros, List<String> notes) {
    String figures =
        micros.entrySet().stream()
            .map(entry -> String.format("%s %,.0f us", entry.getKey(), entry.getValue()))
            .collect(Collectors.joining(", "));
    return notes.isEmpty() ? figures : figures + " (" + String.join("; ", notes) + ")";
  }
}
