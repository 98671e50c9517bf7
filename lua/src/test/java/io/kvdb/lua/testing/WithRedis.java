package io.kvdb.lua.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test on the shared Redis of {@link TestRedis}: its constructor, lifecycle and test methods may
 * take a {@link redis.clients.jedis.UnifiedJedis} and a {@link io.kvdb.lua.script.ScriptRegistry}
 * (see {@link RedisExtension}).
 *
 * <pre>{@code
 * @WithRedis
 * class QueuesTest {
 *   private final String project = "lua-" + UUID.randomUUID();
 *   private final Queues queues;
 *
 *   QueuesTest(UnifiedJedis redis, ScriptRegistry scripts) {
 *     queues = new Queues(redis, scripts);
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RedisExtension.class)
public @interface WithRedis {}
