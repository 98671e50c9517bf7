package io.kvdb.lua.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private, throw-away {@code redis-server} on a free loopback port: no persistence, no password,
 * gone on {@link #close()}. Used when no Redis is configured, and by the tests.
 *
 * <p>The binary is either one shipped inside the {@code embedded-redis} artifact (Redis 6.2, KVDB's
 * oldest supported version) or any {@code redis-server} given by path, such as the one on the PATH.
 */
public final class RedisServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 5;

  private final Process process;
  private final Path binary;
  private final int port;
  private final String origin;
  private final ExtraArguments extra;
  private final Path logFile;

  private RedisServerProcess(
      Process process, Path binary, int port, String origin, ExtraArguments extra, Path logFile) {
    this.process = process;
    this.binary = binary;
    this.port = port;
    this.origin = origin;
    this.extra = extra;
    this.logFile = logFile;
  }

  /**
   * What a server is launched with beyond the defaults: a config file read first (a sentinel's,
   * which Sentinel rewrites, so it must be writable), then options that come after the defaults and
   * so override them, such as {@code --cluster-enabled yes} or {@code --replicaof host port}.
   */
  public record ExtraArguments(Optional<Path> configFile, List<String> options) {
    public static final ExtraArguments NONE = new ExtraArguments(Optional.empty(), List.of());

    public ExtraArguments {
      options = List.copyOf(options);
    }

    public static ExtraArguments options(String... options) {
      return new ExtraArguments(Optional.empty(), List.of(options));
    }

    public static ExtraArguments configFile(Path configFile, String... options) {
      return new ExtraArguments(Optional.of(configFile), List.of(options));
    }
  }

  /** Starts the binary shipped for this platform, or {@code redis-server} from PATH if none is. */
  public static RedisServerProcess startEmbedded() {
    Optional<String> shipped = shippedBinaryName();
    if (shipped.isPresent()) {
      return start(extract(shipped.get()), "embedded " + shipped.get());
    }
    return startFromPath();
  }

  /** Starts the {@code redis-server} found on the PATH. */
  public static RedisServerProcess startFromPath() {
    Path binary = pathBinary();
    return start(binary, binary.toString());
  }

  /**
   * The binary {@link #startEmbedded()} runs, for callers that start Redis their own way (with
   * persistence, to kill and restart it): the shipped one extracted to a temporary file, or the
   * PATH's.
   */
  public static Path embeddedBinary() {
    return shippedBinaryName()
        .map(RedisServerProcess::extract)
        .orElseGet(RedisServerProcess::pathBinary);
  }

  /** The {@code redis-server} on the PATH. */
  public static Path pathBinary() {
    return findOnPath("redis-server")
        .orElseThrow(() -> new IllegalStateException("no redis-server on the PATH"));
  }

  /** Starts the given binary; {@code origin} says in logs where it came from. */
  public static RedisServerProcess start(Path binary, String origin) {
    return start(binary, origin, ExtraArguments.NONE);
  }

  /** Starts the given binary with more arguments on a free port. */
  public static RedisServerProcess start(Path binary, String origin, ExtraArguments extra) {
    IOException lastFailure = null;
    for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
      try {
        RedisServerProcess server = launch(binary, freePort(), origin, extra);
        if (server.awaitReady()) {
          return server;
        }
        String log = server.log();
        server.close();
        lastFailure = new IOException("redis-server did not start: " + log);
      } catch (IOException e) {
        lastFailure = e;
      }
    }
    throw new UncheckedIOException("cannot start " + binary, lastFailure);
  }

  /**
   * A new server of the same binary on this one's port, once this one is closed: a Redis that comes
   * back where its clients expect it, empty. Fails if the port was taken meanwhile.
   */
  public RedisServerProcess startAgain() {
    return startAgain(extra);
  }

  /** As {@link #startAgain()}, with other extra arguments (a new {@code --replicaof}, say). */
  public RedisServerProcess startAgain(ExtraArguments extra) {
    try {
      RedisServerProcess server = launch(binary, port, origin, extra);
      if (server.awaitReady()) {
        return server;
      }
      String log = server.log();
      server.close();
      throw new IllegalStateException("redis-server did not start again on " + port + ": " + log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binary + " again on " + port, e);
    }
  }

  public URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Where the binary came from, for the start-up log line. */
  public String origin() {
    return origin;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    deleteLog();
  }

  /** Stops the server at once (SIGKILL), as a crash would: no shutdown, no goodbye to peers. */
  public void kill() {
    try {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteLog();
  }

  /**
   * Freezes the server (SIGSTOP), as a stalled machine would: its connections stay open, but it
   * answers nothing and acknowledges no replication until {@link #resume()}.
   */
  public void suspend() {
    signal("STOP");
  }

  /** Lets a {@link #suspend()}ed server go on (SIGCONT). */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal redis-server " + process.pid(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deleteLog() {
    try {
      Files.deleteIfExists(logFile);
    } catch (IOException ignored) {
      // A temporary log file left behind is harmless.
    }
  }

  private static RedisServerProcess launch(
      Path binary, int port, String origin, ExtraArguments extra) throws IOException {
    Path logFile = Files.createTempFile("kvdb-redis-" + port, ".log");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    // redis-server reads a config file only as its first argument.
    extra.configFile().ifPresent(file -> command.add(file.toString()));
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--databases",
            "16",
            // A message hash holds a body of up to a few hundred bytes; keeping such hashes in the
            // compact encoding halves their memory (see docs/BENCHMARKS.md). 6.2 and 7 know this
            // name.
            "--hash-max-ziplist-value",
            "1024"));
    command.addAll(extra.options());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    return new RedisServerProcess(process, binary, port, origin, extra, logFile);
  }

  /** Waits until the server answers PING, or it exits, or the start timeout passes. */
  private boolean awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (answersPing()) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private boolean answersPing() {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[7];
      int read = socket.getInputStream().read(reply);
      return read > 0 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException notYet) {
      return false;
    }
  }

  private String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The name of the binary the embedded-redis artifact ships for this OS and CPU, if any. */
  private static Optional<String> shippedBinaryName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.contains("linux") && x64) {
      return Optional.of("redis-server-6.2.6-v5-linux-amd64");
    }
    if (os.contains("linux") && arm64) {
      return Optional.of("redis-server-6.2.7-linux-arm64");
    }
    if (os.contains("mac") && x64) {
      return Optional.of("redis-server-6.2.6-v5-darwin-amd64");
    }
    if (os.contains("mac") && arm64) {
      return Optional.of("redis-server-6.2.6-v5-darwin-arm64");
    }
    return Optional.empty();
  }

  private static Path extract(String resource) {
    try (InputStream in = RedisServerProcess.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the embedded-redis artifact lacks " + resource);
      }
      Path binary = Files.createTempFile("kvdb-" + resource, "");
      Files.copy(in, binary, StandardCopyOption.REPLACE_EXISTING);
      binary.toFile().setExecutable(true, true);
      binary.toFile().deleteOnExit();
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract " + resource, e);
    }
  }

  private static Optional<Path> findOnPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String directory : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(directory, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
