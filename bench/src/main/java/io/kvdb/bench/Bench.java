package io.kvdb.bench;

/**
 * {@code java -jar kvdb-bench.jar <benchmark> [--option value]...}
 *
 * <pre>
 * locks  [--clients 16] [--channels 4] [--names distinct|one] [--warmup 3] [--duration 10] [--target host:port]
 * </pre>
 *
 * Without {@code --target} it starts a gateway in-process on an embedded Redis.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println("usage: kvdb-bench locks [--clients N] [--channels N] [--names distinct|one]"
          + " [--warmup S] [--duration S] [--target host:port]");
      System.exit(2);
    }
    BenchOptions options = BenchOptions.parse(args, 1);
    try (BenchTarget target = BenchTarget.open(options)) {
      System.out.println("measuring " + target.describe() + " on " + Runtime.getRuntime().availableProcessors()
          + " cores, Java " + Runtime.version());
      LoadRun.Result result = switch (args[0]) {
        case "locks" -> {
          options.rejectUnknown("target", "clients", "channels", "names", "warmup", "duration");
          yield LockBench.run(target, options);
        }
        default -> throw new IllegalArgumentException("unknown benchmark " + args[0]);
      };
      System.out.println(result.summary());
    }
  }
}
