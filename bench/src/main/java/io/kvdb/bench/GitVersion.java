package io.kvdb.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code git describe} of the working directory, to tell which code a result came from. */
final class GitVersion {
  private GitVersion() {}

  /** Empty outside a git work tree, or without git. */
  static Optional<String> describe() {
    try {
      Process git =
          new ProcessBuilder("git", "describe", "--always", "--dirty", "--tags")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!git.waitFor(5, TimeUnit.SECONDS) || git.exitValue() != 0 || out.isEmpty()) {
        git.destroyForcibly();
        return Optional.empty();
      }
      return Optional.of(out);
    } catch (IOException noGit) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
