package io.kvdb.gateway.auth;

import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: one line on the logger {@code kvdb.audit} per administrative call and per
 * refused credential, as {@code key=value} pairs so that they can be grepped and parsed. It never
 * holds a secret nor a header other than the project. Refusals past {@link #REFUSALS_PER_SECOND}
 * are counted rather than written, so a flood of bad credentials cannot flood the log.
 */
public final class Audit {
  private static final Logger log = LoggerFactory.getLogger("kvdb.audit");

  /** Refusal lines a second at most; administrative calls are always written. */
  static final int REFUSALS_PER_SECOND = 100;

  private static final RefusalBudget refusals =
      new RefusalBudget(REFUSALS_PER_SECOND, System::nanoTime);

  private Audit() {}

  /** One call and how it ended: {@code OK} or the status code; {@code why} may be null. */
  static void record(
      String principal,
      String method,
      String project,
      SocketAddress peer,
      String outcome,
      String why) {
    StringBuilder line = new StringBuilder();
    append(line, "principal", principal);
    append(line, "method", method);
    append(line, "project", project);
    append(line, "peer", peer == null ? "unknown" : peer.toString());
    append(line, "outcome", outcome);
    if (why != null) {
      append(line, "why", why);
    }
    if ("OK".equals(outcome)) {
      log.info("{}", line);
      return;
    }
    RefusalBudget.Verdict verdict = refusals.take();
    verdict
        .suppressedBefore()
        .ifPresent(
            count ->
                log.warn(
                    "suppressed={} (refused calls past {} a second not written)",
                    count,
                    REFUSALS_PER_SECOND));
    if (verdict.write()) {
      log.warn("{}", line);
    }
  }

  /** Quotes a value that has spaces, quotes or an equals sign, so each pair stays one token. */
  private static void append(StringBuilder line, String key, String value) {
    if (!line.isEmpty()) {
      line.append(' ');
    }
    line.append(key).append('=');
    if (!value.isEmpty() && value.chars().allMatch(Audit::plain)) {
      line.append(value);
      return;
    }
    line.append('"');
    value
        .chars()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                line.append('\\').append((char) c);
              } else if (c < 0x20 || c == 0x7f) {
                line.append(String.format("\\u%04x", c));
              } else {
                line.append((char) c);
              }
            });
    line.append('"');
  }

  private static boolean plain(int c) {
    return c > 0x20 && c < 0x7f && c != '"' && c != '=' && c != '\\';
  }
}
