package io.kvdb.lua.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link redis.clients.jedis.UnifiedJedis} parameter of a {@link WithRedis} test that gets
 * {@link TestRedis#admin()}, with every right, instead of the gateway's: for a test that inspects
 * or breaks Redis beyond what a gateway may do (scan keys, read a length, flush the scripts).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
public @interface Admin {}
