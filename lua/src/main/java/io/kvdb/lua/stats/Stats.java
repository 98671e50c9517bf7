package io.kvdb.lua.stats;

import static io.kvdb.lua.Keys.bytes;

import io.kvdb.lua.Keys;
import io.kvdb.lua.script.Reason;
import io.kvdb.lua.script.Replies;
import io.kvdb.lua.script.Script;
import io.kvdb.lua.script.ScriptRefusedException;
import io.kvdb.lua.script.ScriptRegistry;
import io.kvdb.lua.script.ScriptReply;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/** Service statistics of a project over the {@code stats/*} scripts. */
public final class Stats {
  /** How far ahead of the Redis clock an invocation's time may be. */
  static final long AHEAD_MILLIS = 60_000;

  /**
   * Bucket reads one read script call does at most: a full bucket costs tens of microseconds to
   * read and merge, so a call holds Redis for a few milliseconds whatever the range.
   */
  static final int READ_BUDGET = 100;

  /** Buckets one roll-up call merges at most; a merge reads up to four buckets (itself and up). */
  static final int ROLLUP_BUDGET = 25;

  private static final int DELETE_BUDGET = 1000;

  /**
   * Bytes of samples one page holds at most (but one sample at least): well within gRPC's 4 MiB.
   */
  public static final int PAGE_BYTES = 1 << 20;

  private final UnifiedJedis redis;
  private final ScriptRegistry scripts;
  private final Retention retention;

  public Stats(UnifiedJedis redis, ScriptRegistry scripts, Retention retention) {
    this.redis = redis;
    this.scripts = scripts;
    this.retention = retention;
  }

  /**
   * Records a batch in one round trip (two, about once an hour, to keep the project in the roll-up
   * registry). A time out of bounds refuses the whole batch ({@code INVALID}), or with {@code
   * skipRejected} only that invocation: the indexes of those skipped are returned.
   */
  public List<Integer> record(
      String project, List<InvocationRecord> invocations, boolean skipRejected) {
    List<byte[]> args = new ArrayList<>(3 + invocations.size() * 5);
    args.add(bytes(Long.toString(retention.minutes().toMillis())));
    args.add(bytes(Long.toString(AHEAD_MILLIS)));
    args.add(bytes(skipRejected ? "1" : "0"));
    for (InvocationRecord invocation : invocations) {
      args.add(bytes(invocation.service()));
      args.add(bytes(Long.toString(invocation.durationMicros())));
      args.add(bytes(invocation.error() ? "1" : "0"));
      args.add(
          invocation.timeMillis() == null
              ? new byte[0]
              : bytes(Long.toString(invocation.timeMillis())));
      args.add(invocation.payload());
    }
    Recorded reply = Recorded.decode(scripts.call(Script.STATS_RECORD, prefix(project), args));
    if (reply.register()) {
      redis.zadd(Keys.STATS_PROJECTS, 0, project);
    }
    return reply.skipped();
  }

  /**
   * The reply of stats/record: whether the project must join the registry, and the skipped indexes.
   */
  private record Recorded(boolean register, List<Integer> skipped) {
    static Recorded decode(Object result) {
      ScriptReply reply = ScriptReply.of(result);
      boolean register = reply.nextFlag();
      List<Integer> skipped = new ArrayList<>(reply.remaining());
      while (reply.hasNext()) {
        skipped.add(reply.nextInt());
      }
      return new Recorded(register, List.copyOf(skipped));
    }
  }

  /**
   * Up to {@code limit} projects that record statistics, after {@code after} (null: from the
   * first).
   */
  public List<String> projects(String after, int limit) {
    return redis.zrangeByLex(Keys.STATS_PROJECTS, after == null ? "-" : "(" + after, "+", 0, limit);
  }

  /** The figures of each period, and the service's all-time usage. */
  public record Reading(List<Aggregate> periods, long usage) {
    /** Decodes the reply of stats/read. */
    static Reading decode(Object result) {
      ScriptReply reply = ScriptReply.of(result);
      int periodsRead = reply.nextInt();
      List<Aggregate> aggregates = new ArrayList<>(periodsRead);
      for (int p = 0; p < periodsRead; p++) {
        aggregates.add(Aggregate.read(reply));
      }
      return new Reading(aggregates, reply.nextLong());
    }
  }

  /**
   * Reads in steps of at most {@link #READ_BUDGET} bucket reads. A step that cannot read even the
   * first period (its roll-up is behind, after an outage) rolls the service up first: that merges
   * its complete buckets, leaving each period a handful pending.
   */
  public Reading read(String project, String service, List<Period> periods) {
    List<Aggregate> figures = new ArrayList<>(periods.size());
    long usage = 0;
    boolean rolledUp = false;
    do {
      Reading step = readStep(project, service, periods.subList(figures.size(), periods.size()));
      usage = step.usage();
      if (step.periods().isEmpty() && !periods.isEmpty()) {
        if (rolledUp) {
          throw new ScriptRefusedException(
              Reason.LIMIT, "the statistics of " + service + " are being rolled up; retry shortly");
        }
        rollup(project, service);
        rolledUp = true;
      }
      figures.addAll(step.periods());
    } while (figures.size() < periods.size());
    return new Reading(figures, usage);
  }

  /** One read script call: the figures of the first periods that fit in the budget. */
  Reading readStep(String project, String service, List<Period> periods) {
    List<byte[]> args = new ArrayList<>(6 + 2 * periods.size());
    args.add(bytes(service));
    args.add(bytes(Integer.toString(READ_BUDGET)));
    args.add(bytes(Long.toString(AHEAD_MILLIS)));
    args.add(bytes(Long.toString(retention.minutes().toMillis())));
    args.add(bytes(Long.toString(retention.hours().toMillis())));
    args.add(bytes(Long.toString(retention.days().toMillis())));
    for (Period period : periods) {
      args.add(bytes(period.level().code()));
      args.add(bytes(Long.toString(period.start())));
    }
    return Reading.decode(scripts.call(Script.STATS_READ, prefix(project), args));
  }

  /** Rolls the service's complete buckets up every level; returns how many were merged. */
  public long rollup(String project, String service) {
    long merged = 0;
    for (Level level : List.of(Level.MINUTE, Level.HOUR, Level.DAY)) {
      long step;
      do {
        step =
            Replies.asLong(
                scripts.call(
                    Script.STATS_ROLLUP,
                    prefix(project),
                    List.of(
                        bytes(service),
                        bytes(level.code()),
                        bytes(Integer.toString(ROLLUP_BUDGET)),
                        bytes(Long.toString(retention.parentMillis(level))))));
        merged += step;
      } while (step == ROLLUP_BUDGET);
    }
    return merged;
  }

  /** Deletes all the service has, in bounded steps. */
  public void delete(String project, String service) {
    long left;
    do {
      left =
          Replies.asLong(
              scripts.call(
                  Script.STATS_DELETE,
                  prefix(project),
                  List.of(bytes(service), bytes(Integer.toString(DELETE_BUDGET)))));
    } while (left > 0);
  }

  /** Up to {@code limit} service names after {@code after} (null: from the first). */
  public List<String> services(String project, String after, int limit) {
    return redis.zrangeByLex(
        key(project, ":services"), after == null ? "-" : "(" + after, "+", 0, limit);
  }

  /** How many services the project has. */
  public long serviceCount(String project) {
    return redis.zcard(key(project, ":services"));
  }

  /** The service's settings, defaults where none were set. */
  public SamplingPolicy settings(String project, String service) {
    Iterator<String> fields =
        redis.hmget(key(project, ":cfg:" + service), "se", "sk", "st", "sn").iterator();
    SamplingPolicy d = SamplingPolicy.DEFAULTS;
    return new SamplingPolicy(
        intOr(fields.next(), d.sampleEvery()),
        intOr(fields.next(), d.samplesKept()),
        longOr(fields.next(), d.slowThresholdMicros()),
        intOr(fields.next(), d.slowKept()));
  }

  private static int intOr(String stored, int otherwise) {
    return stored == null ? otherwise : Integer.parseInt(stored);
  }

  private static long longOr(String stored, long otherwise) {
    return stored == null ? otherwise : Long.parseLong(stored);
  }

  public void updateSettings(String project, String service, SamplingPolicy settings) {
    scripts.call(
        Script.STATS_SETTINGS,
        prefix(project),
        List.of(
            bytes(service),
            bytes(Integer.toString(settings.sampleEvery())),
            bytes(Integer.toString(settings.samplesKept())),
            bytes(Long.toString(settings.slowThresholdMicros())),
            bytes(Integer.toString(settings.slowKept()))));
  }

  /** A page of kept samples or slow responses, and where the next page starts (-1: none). */
  public record SamplePage(List<KeptInvocation> samples, int next) {
    /** Decodes the reply of stats/samples and stats/slow: {next offset or -1, entries...}. */
    static SamplePage decode(Object result) {
      ScriptReply reply = ScriptReply.of(result);
      int next = reply.nextInt();
      List<KeptInvocation> entries = new ArrayList<>(reply.remaining());
      while (reply.hasNext()) {
        entries.add(KeptInvocation.decode(reply.nextBytes()));
      }
      return new SamplePage(List.copyOf(entries), next);
    }
  }

  /** The kept samples from {@code offset}, newest first, within {@link #PAGE_BYTES}. */
  public SamplePage samples(String project, String service, int offset) {
    return SamplePage.decode(
        scripts.call(
            Script.STATS_SAMPLES,
            prefix(project),
            List.of(
                bytes(service),
                bytes(Integer.toString(offset)),
                bytes(Integer.toString(PAGE_BYTES)))));
  }

  /**
   * The kept slow responses ranked {@code offset} to {@code limit}, slowest first, within {@link
   * #PAGE_BYTES}.
   */
  public SamplePage slowest(String project, String service, int offset, int limit) {
    return SamplePage.decode(
        scripts.call(
            Script.STATS_SLOW,
            prefix(project),
            List.of(
                bytes(service),
                bytes(Integer.toString(offset)),
                bytes(Integer.toString(limit)),
                bytes(Integer.toString(PAGE_BYTES)))));
  }

  private static List<byte[]> prefix(String project) {
    return List.of(bytes(Keys.stats(project)));
  }

  private static String key(String project, String suffix) {
    return Keys.stats(project) + suffix;
  }
}
