package io.kvdb.lua.testing;

import io.kvdb.lua.script.ScriptRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import redis.clients.jedis.UnifiedJedis;

/**
 * Resolves the parameters a test on the shared Redis needs: a {@link UnifiedJedis} connected to
 * {@link TestRedis#shared()} with a gateway's rights (or every right, for a parameter marked {@link
 * Admin}) and a {@link ScriptRegistry} loaded into it. All are made once per test JVM, in the root
 * store, which closes the client when the run ends; the server stays as {@link TestRedis} chose it,
 * never flushed, so each test still picks fresh names of its own. Tests that must stop or flush
 * their Redis start a private one with {@link TestRedis#startPrivate()}.
 */
public final class RedisExtension implements ParameterResolver {
  private static final Namespace NAMESPACE = Namespace.create(RedisExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == UnifiedJedis.class || type == ScriptRegistry.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Store store = context.getRoot().getStore(NAMESPACE);
    if (parameter.isAnnotated(Admin.class)) {
      return store.getOrComputeIfAbsent(
          Admin.class, type -> TestRedis.shared().admin(), UnifiedJedis.class);
    }
    UnifiedJedis redis =
        store.getOrComputeIfAbsent(
            UnifiedJedis.class, type -> TestRedis.shared().connect(), UnifiedJedis.class);
    if (parameter.getParameter().getType() == UnifiedJedis.class) {
      return redis;
    }
    return store.getOrComputeIfAbsent(
        ScriptRegistry.class, type -> ScriptRegistry.load(redis), ScriptRegistry.class);
  }
}
