package io.kvdb.conformance.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.client.KvdbClient;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.gateway.server.Gateway;
import io.kvdb.lua.testing.TestRedis;
import io.kvdb.proto.v1.UpdateQueueRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.UnifiedJedis;

/** The digest sees every change to a project's keys, and none where nothing happened. */
class RedisDigestTest {
  private static Gateway gateway;
  private static UnifiedJedis admin;

  @BeforeAll
  static void start() {
    gateway = KvdbTarget.ownGateway();
    admin = TestRedis.shared().admin();
  }

  @AfterAll
  static void stop() {
    admin.close();
    gateway.close();
  }

  @Test
  void aNewQueueAndAChangedOneShowAsChanges() {
    String project = KvdbTarget.freshProject();
    List<RedisDigest.Exclusion> exclusions =
        List.of(RedisDigest.Exclusion.projectsOtherThan(Set.of(project)));
    try (KvdbClient kvdb = client(project)) {
      kvdb.queues().create("kept");
      RedisDigest before = RedisDigest.of(admin, exclusions);

      kvdb.queues().create("added");
      kvdb.queues().update("kept", Map.of("owner", "ops"), UpdateQueueRequest.Mode.MERGE);
      List<String> changes = RedisDigest.of(admin, exclusions).changesSince(before);

      assertTrue(changes.contains("added kvdb:q:{" + project + "/added}"), changes.toString());
      assertTrue(changes.contains("changed kvdb:q:{" + project + "/kept}"), changes.toString());
    }
  }

  @Test
  void nothingChangesWhenNothingIsCalled() {
    String project = KvdbTarget.freshProject();
    // What changes by itself, such as the usage counts every collector round rewrites, is left out.
    List<RedisDigest.Exclusion> exclusions = CredentialChecks.exclusions(Set.of(project));
    try (KvdbClient kvdb = client(project)) {
      kvdb.queues().create("idle");
      RedisDigest before = RedisDigest.of(admin, exclusions);

      assertFalse(before.keys().isEmpty());
      assertEquals(List.of(), RedisDigest.of(admin, exclusions).changesSince(before));
    }
  }

  @Test
  void otherProjectsAreLeftOutButNotTheirPrefixes() {
    Pattern others = RedisDigest.Exclusion.projectsOtherThan(Set.of("p1")).keys();

    assertTrue(others.matcher("kvdb:q:{p2/q}").matches());
    assertTrue(others.matcher("kvdb:q:{p1x/q}").matches());
    assertFalse(others.matcher("kvdb:q:{p1/q}:m:1").matches());
    assertFalse(others.matcher("kvdb:st:{p1}:services").matches());
    assertFalse(others.matcher("kvdb:projects").matches());
  }

  private static KvdbClient client(String project) {
    return KvdbClient.create(
        io.kvdb.client.KvdbClientOptions.newBuilder()
            .setTarget("127.0.0.1:" + gateway.port())
            .setProject(project)
            .build());
  }
}
