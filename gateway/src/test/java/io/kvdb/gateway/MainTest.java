package io.kvdb.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.gateway.server.GatewayConfig;
import io.kvdb.lua.testing.TestCertificates;
import io.kvdb.lua.testing.TestRedis;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code Main} in a child JVM: a start-up that cannot succeed exits non-zero at once,
 * saying why.
 */
class MainTest {
  private static final long BOUND_SECONDS = 60;

  @TempDir Path temp;

  private record Exit(int code, String stdout, String stderr) {}

  private Exit run(String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
    command.addAll(List.of(args));
    File stdout = temp.resolve("stdout").toFile();
    File stderr = temp.resolve("stderr").toFile();
    Process process =
        new ProcessBuilder(command).redirectOutput(stdout).redirectError(stderr).start();
    try {
      boolean exited = process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS);
      String text = Files.readString(stderr.toPath(), StandardCharsets.UTF_8);
      assertTrue(exited, "still running after " + BOUND_SECONDS + " s; stderr: " + text);
      return new Exit(
          process.exitValue(), Files.readString(stdout.toPath(), StandardCharsets.UTF_8), text);
    } finally {
      process.destroyForcibly();
    }
  }

  private static void assertOneClearLine(Exit exit, String mentions) {
    assertTrue(exit.code() != 0, "exit code " + exit.code());
    assertEquals(1, exit.stderr().strip().lines().count(), exit.stderr());
    assertTrue(exit.stderr().contains(mentions), exit.stderr());
    assertFalse(exit.stderr().contains("\tat "), exit.stderr());
  }

  private static String redis() {
    return TestRedis.shared().uri().toString();
  }

  @Test
  void helpPrintsTheGeneratedUsageAndExitsZero() throws Exception {
    Exit exit = run("--help");
    assertEquals(0, exit.code(), exit.stderr());
    assertEquals(GatewayConfig.usage(), exit.stdout());
    assertEquals("", exit.stderr());
  }

  @Test
  void anUnknownFlagIsNamedWithAHintToHelp() throws Exception {
    Exit exit = run("--prot", "1");
    assertEquals(2, exit.code(), exit.stderr());
    assertOneClearLine(exit, "--prot");
    assertTrue(exit.stderr().contains("--help"), exit.stderr());
  }

  @Test
  void aCollectIntervalOfZeroIsRefusedBeforeAnythingStarts() throws Exception {
    Exit exit = run("--port", "0", "--redis", redis(), "--collect-interval-ms", "0");
    assertEquals(2, exit.code(), exit.stderr());
    assertOneClearLine(exit, "--collect-interval-ms");
  }

  @Test
  void everyNumericFlagIsRangeChecked() throws Exception {
    for (String flag :
        List.of(
            "--rollup-interval-ms",
            "--redis-pool-size",
            "--redis-timeout-ms",
            "--broker-retention")) {
      Exit exit = run("--port", "0", "--redis", redis(), flag, "0");
      assertEquals(2, exit.code(), flag + ": " + exit.stderr());
      assertOneClearLine(exit, flag);
    }
  }

  @Test
  void aRedisUrlThatIsNotOneIsRefusedNamingTheFlag() throws Exception {
    Exit exit = run("--port", "0", "--redis", "http://localhost:6379");
    assertEquals(2, exit.code(), exit.stderr());
    assertOneClearLine(exit, "--redis");
  }

  @Test
  void anUnreachableRedisAtStartExitsNonZero() throws Exception {
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    Exit exit =
        run("--port", "0", "--redis", "redis://127.0.0.1:" + free, "--redis-timeout-ms", "500");
    assertOneClearLine(exit, "Redis");
  }

  @Test
  void aPortInUseExitsNonZero() throws Exception {
    try (ServerSocket taken =
        new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Exit exit = run("--port", Integer.toString(taken.getLocalPort()), "--redis", redis());
      assertOneClearLine(exit, Integer.toString(taken.getLocalPort()));
    }
  }

  @Test
  void aTlsFileThatIsNotPemIsRefusedNamingTheFlag() throws Exception {
    TestCertificates certificates = TestCertificates.create(temp);
    Path text = Files.writeString(temp.resolve("cert.txt"), "not a certificate\n");
    Exit exit =
        run(
            "--port",
            "0",
            "--redis",
            redis(),
            "--tls-cert",
            text.toString(),
            "--tls-key",
            certificates.server().key().toString());
    assertEquals(2, exit.code(), exit.stderr());
    assertOneClearLine(exit, "--tls-cert");
  }

  @Test
  void aTlsKeyTheTlsStackCannotReadStopsTheStart() throws Exception {
    TestCertificates certificates = TestCertificates.create(temp);
    Path garbled =
        Files.writeString(
            temp.resolve("key.pem"),
            "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    Exit exit =
        run(
            "--port",
            "0",
            "--redis",
            redis(),
            "--tls-cert",
            certificates.server().certificate().toString(),
            "--tls-key",
            garbled.toString());
    assertEquals(1, exit.code(), exit.stderr());
    assertOneClearLine(exit, "--tls-key");
  }
}
