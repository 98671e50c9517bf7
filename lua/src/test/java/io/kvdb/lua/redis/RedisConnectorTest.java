package io.kvdb.lua.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.lua.testing.TestRedis;
import java.net.URI;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The client {@link RedisConnector} opens logs in as the URL says: password, ACL user, database.
 */
class RedisConnectorTest {
  @Test
  void anAclUserWithItsPasswordAndADatabaseIndex() {
    try (RedisServerProcess server = TestRedis.startPrivate();
        Jedis admin = new Jedis(server.uri())) {
      admin.aclSetUser("kvdb", "on", ">s3cret", "~*", "&*", "+@all");
      admin.aclSetUser("default", "resetpass", ">admin-only");
      URI url = URI.create("redis://kvdb:s3cret@127.0.0.1:" + server.port() + "/3");
      try (UnifiedJedis redis = RedisConnector.connect(url, RedisConnector.Settings.DEFAULT)) {
        assertTrue(redis instanceof RedisClient, "one node that is not in a cluster: standalone");
        redis.set("k", "v");
        assertEquals("v", redis.get("k"));
        assertTrue(redis.info("keyspace").contains("db3:keys=1"), redis.info("keyspace"));
      }
      URI wrong = URI.create("redis://kvdb:guess@127.0.0.1:" + server.port());
      assertThrows(
          JedisException.class,
          () -> RedisConnector.connect(wrong, RedisConnector.Settings.DEFAULT).close());
    }
  }
}
