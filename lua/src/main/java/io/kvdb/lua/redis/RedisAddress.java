package io.kvdb.lua.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.HostAndPort;

/**
 * A parsed {@code --redis} URL: which kind of deployment, its nodes, and how to log in.
 *
 * <ul>
 *   <li>{@code redis://[user:password@]host:port[/db]}: one node; a cluster if that node says so
 *       ({@code INFO cluster}), else a standalone server;
 *   <li>{@code redis://[user:password@]h1:p1,h2:p2,...}: a Redis Cluster, seeded from those nodes;
 *   <li>{@code redis-sentinel://[user:password@]s1:p1,s2:p2,.../<master>}: the primary that those
 *       Sentinels name {@code <master>}; the credentials are the data nodes', and the Sentinels'
 *       own are the query parameters {@code sentinel-user} and {@code sentinel-password}.
 * </ul>
 *
 * A scheme ending in {@code s} ({@code rediss}, {@code rediss-sentinel}) speaks TLS to every node.
 */
public record RedisAddress(
    Kind kind,
    Set<HostAndPort> nodes,
    Optional<String> user,
    Optional<String> password,
    int database,
    boolean tls,
    Optional<String> masterName,
    Optional<String> sentinelUser,
    Optional<String> sentinelPassword) {

  /** What the URL names. {@link #NODE} becomes standalone or cluster once the node is asked. */
  public enum Kind {
    NODE,
    CLUSTER,
    SENTINEL
  }

  private static final int DEFAULT_PORT = 6379;
  private static final int DEFAULT_SENTINEL_PORT = 26379;

  public RedisAddress {
    nodes = Set.copyOf(nodes);
  }

  public static RedisAddress parse(URI url) {
    String scheme = String.valueOf(url.getScheme());
    boolean sentinel = scheme.equals("redis-sentinel") || scheme.equals("rediss-sentinel");
    boolean tls = scheme.equals("rediss") || scheme.equals("rediss-sentinel");
    if (!sentinel && !scheme.equals("redis") && !tls) {
      throw invalid(url, "the scheme must be redis, rediss, redis-sentinel or rediss-sentinel");
    }
    String authority = url.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw invalid(url, "no host");
    }
    int at = authority.lastIndexOf('@');
    Optional<String> user = Optional.empty();
    Optional<String> password = Optional.empty();
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      String name = colon < 0 ? "" : decode(userInfo.substring(0, colon));
      user = name.isEmpty() ? Optional.empty() : Optional.of(name);
      password = Optional.of(decode(colon < 0 ? userInfo : userInfo.substring(colon + 1)));
      authority = authority.substring(at + 1);
    }
    Set<HostAndPort> nodes = new LinkedHashSet<>();
    for (String node : authority.split(",")) {
      nodes.add(hostAndPort(url, node, sentinel ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT));
    }
    String path = url.getPath() == null ? "" : url.getPath().replaceFirst("^/", "");
    if (sentinel) {
      if (path.isEmpty() || path.contains("/")) {
        throw invalid(url, "a Sentinel URL ends with the master's name: /<master>");
      }
      return new RedisAddress(
          Kind.SENTINEL,
          nodes,
          user,
          password,
          0,
          tls,
          Optional.of(path),
          queryParameter(url, "sentinel-user"),
          queryParameter(url, "sentinel-password"));
    }
    int database = path.isEmpty() ? 0 : parseDatabase(url, path);
    if (nodes.size() > 1 && database != 0) {
      throw invalid(url, "a Redis Cluster has only database 0");
    }
    return new RedisAddress(
        nodes.size() > 1 ? Kind.CLUSTER : Kind.NODE,
        nodes,
        user,
        password,
        database,
        tls,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** The first node, the one a {@link Kind#NODE} URL names. */
  public HostAndPort firstNode() {
    return nodes.iterator().next();
  }

  /** The URL without credentials, for logs and messages. */
  public String redacted() {
    StringBuilder text = new StringBuilder(tls ? "rediss" : "redis");
    text.append(kind == Kind.SENTINEL ? "-sentinel://" : "://");
    text.append(String.join(",", nodes.stream().map(HostAndPort::toString).toList()));
    masterName.ifPresent(master -> text.append('/').append(master));
    if (database != 0) {
      text.append('/').append(database);
    }
    return text.toString();
  }

  private static HostAndPort hostAndPort(URI url, String node, int defaultPort) {
    int colon = node.lastIndexOf(':');
    boolean bracketed = node.startsWith("[");
    if (colon < 0 || (bracketed && colon < node.indexOf(']'))) {
      return new HostAndPort(node, defaultPort);
    }
    String host = node.substring(0, colon);
    if (host.isEmpty()) {
      throw invalid(url, "a node has no host");
    }
    try {
      int port = Integer.parseInt(node.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw invalid(url, "port " + port + " is out of range");
      }
      return new HostAndPort(host, port);
    } catch (NumberFormatException e) {
      throw invalid(url, "'" + node.substring(colon + 1) + "' is not a port");
    }
  }

  private static int parseDatabase(URI url, String path) {
    try {
      int database = Integer.parseInt(path);
      if (database < 0) {
        throw invalid(url, "the database index must not be negative");
      }
      return database;
    } catch (NumberFormatException e) {
      throw invalid(url, "'" + path + "' is not a database index");
    }
  }

  private static Optional<String> queryParameter(URI url, String name) {
    String query = url.getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).equals(name)) {
        return Optional.of(decode(pair.substring(equals + 1)));
      }
    }
    return Optional.empty();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException invalid(URI url, String why) {
    String authority = String.valueOf(url.getRawAuthority());
    String shown = url.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1);
    return new IllegalArgumentException("not a usable Redis URL (" + shown + "): " + why);
  }
}
