package io.kvdb.gateway.auth;

import static io.kvdb.gateway.auth.Role.ADMIN;
import static io.kvdb.gateway.auth.Role.CONSUME;
import static io.kvdb.gateway.auth.Role.MANAGE;
import static io.kvdb.gateway.auth.Role.PRODUCE;
import static io.kvdb.gateway.auth.Role.READ;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one table of what each RPC needs: a full method name's {@link Role}, or nothing for the
 * public services (health, reflection). A method in neither is refused. {@code MethodRolesTest}
 * fails when a method the gateway serves is missing here or an entry names none.
 */
public final class MethodRoles {
  /** Services every caller may use without a credential: probes and tools must find the API. */
  private static final Set<String> PUBLIC_SERVICES =
      Set.of(
          "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection",
          "grpc.reflection.v1alpha.ServerReflection");

  private static final Map<String, Role> TABLE =
      Map.ofEntries(
          Map.entry("kvdb.v1.QueueService/CreateQueue", MANAGE),
          Map.entry("kvdb.v1.QueueService/GetQueue", READ),
          Map.entry("kvdb.v1.QueueService/ListQueues", READ),
          Map.entry("kvdb.v1.QueueService/UpdateQueue", MANAGE),
          Map.entry("kvdb.v1.QueueService/DeleteQueue", MANAGE),
          Map.entry("kvdb.v1.QueueService/GetQueueStats", READ),
          // Posting creates a missing queue, as in Zaqar: a producer needs no manage role for it.
          Map.entry("kvdb.v1.MessageService/PostMessages", PRODUCE),
          Map.entry("kvdb.v1.MessageService/ListMessages", READ),
          Map.entry("kvdb.v1.MessageService/GetMessages", READ),
          // Deleting a message is how a consumer acknowledges it.
          Map.entry("kvdb.v1.MessageService/DeleteMessages", CONSUME),
          Map.entry("kvdb.v1.MessageService/PopMessages", CONSUME),
          Map.entry("kvdb.v1.ClaimService/CreateClaim", CONSUME),
          // Shows what a claim holds, as ListMessages with include_claimed does.
          Map.entry("kvdb.v1.ClaimService/GetClaim", READ),
          Map.entry("kvdb.v1.ClaimService/UpdateClaim", CONSUME),
          Map.entry("kvdb.v1.ClaimService/DeleteClaim", CONSUME),
          Map.entry("kvdb.v1.ClaimService/Consume", CONSUME),
          // A lock is a lease on a shared resource, as a claim is on messages: workers take them,
          // and a worker must not need manage (which deletes queues) to coordinate.
          Map.entry("kvdb.v1.LockService/Acquire", CONSUME),
          Map.entry("kvdb.v1.LockService/Renew", CONSUME),
          Map.entry("kvdb.v1.LockService/Release", CONSUME),
          Map.entry("kvdb.v1.LockService/GetLock", READ),
          Map.entry("kvdb.v1.LockService/ListLocks", READ),
          Map.entry("kvdb.v1.StatsService/Record", PRODUCE),
          Map.entry("kvdb.v1.StatsService/GetServiceStats", READ),
          Map.entry("kvdb.v1.StatsService/TopServices", READ),
          Map.entry("kvdb.v1.StatsService/ListServices", READ),
          Map.entry("kvdb.v1.StatsService/DeleteServiceStats", MANAGE),
          // Changes no figure but spends Redis time on demand: an operator's lever, not a read.
          Map.entry("kvdb.v1.StatsService/Rollup", MANAGE),
          Map.entry("kvdb.v1.StatsService/GetServiceSettings", READ),
          Map.entry("kvdb.v1.StatsService/UpdateServiceSettings", MANAGE),
          Map.entry("kvdb.v1.StatsService/GetSamples", READ),
          Map.entry("kvdb.v1.StatsService/ListSlowResponses", READ),
          Map.entry("kvdb.v1.DictionaryService/PutEntries", MANAGE),
          Map.entry("kvdb.v1.DictionaryService/DeleteEntries", MANAGE),
          Map.entry("kvdb.v1.DictionaryService/ListSystems", READ),
          Map.entry("kvdb.v1.DictionaryService/ListEntries", READ),
          Map.entry("kvdb.v1.DictionaryService/PutTranslations", MANAGE),
          Map.entry("kvdb.v1.DictionaryService/DeleteTranslations", MANAGE),
          Map.entry("kvdb.v1.DictionaryService/Translate", READ),
          Map.entry("kvdb.v1.DictionaryService/TranslateBatch", READ),
          Map.entry("kvdb.v1.DictionaryService/Export", READ),
          // Replaces whole dictionaries.
          Map.entry("kvdb.v1.DictionaryService/Import", MANAGE),
          Map.entry("kvdb.v1.BrokerService/Publish", PRODUCE),
          // Acks travel on the subscription stream, so subscribing is consuming.
          Map.entry("kvdb.v1.BrokerService/Subscribe", CONSUME),
          Map.entry("kvdb.v1.KeyService/CreateKey", ADMIN),
          Map.entry("kvdb.v1.KeyService/ListKeys", ADMIN),
          Map.entry("kvdb.v1.KeyService/RevokeKey", ADMIN),
          Map.entry("kvdb.v1.KeyService/RotateKey", ADMIN),
          // Quotas bound projects, so only administrators, who act on every project, set or read
          // them.
          Map.entry("kvdb.v1.QuotaService/SetQuota", ADMIN),
          Map.entry("kvdb.v1.QuotaService/GetQuota", ADMIN),
          // Pools and flavors place every project's queues (served with --admin-api only).
          Map.entry("kvdb.v1.PoolService/CreatePool", ADMIN),
          Map.entry("kvdb.v1.PoolService/GetPool", ADMIN),
          Map.entry("kvdb.v1.PoolService/ListPools", ADMIN),
          Map.entry("kvdb.v1.PoolService/UpdatePool", ADMIN),
          Map.entry("kvdb.v1.PoolService/DeletePool", ADMIN),
          Map.entry("kvdb.v1.PoolService/MigrateQueue", ADMIN),
          Map.entry("kvdb.v1.PoolService/GetMigration", ADMIN),
          Map.entry("kvdb.v1.PoolService/CancelMigration", ADMIN),
          Map.entry("kvdb.v1.PoolService/PlanRebalance", ADMIN),
          Map.entry("kvdb.v1.FlavorService/CreateFlavor", ADMIN),
          Map.entry("kvdb.v1.FlavorService/GetFlavor", ADMIN),
          Map.entry("kvdb.v1.FlavorService/ListFlavors", ADMIN),
          Map.entry("kvdb.v1.FlavorService/UpdateFlavor", ADMIN),
          Map.entry("kvdb.v1.FlavorService/DeleteFlavor", ADMIN));

  private MethodRoles() {}

  /** Whether every caller may call {@code fullMethodName} without a credential. */
  public static boolean isPublic(String fullMethodName) {
    int slash = fullMethodName.indexOf('/');
    return slash > 0 && PUBLIC_SERVICES.contains(fullMethodName.substring(0, slash));
  }

  /** Every method the table names a role for. */
  public static Set<String> classified() {
    return TABLE.keySet();
  }

  /** The public services' names. */
  public static Set<String> publicServices() {
    return PUBLIC_SERVICES;
  }

  /** The role {@code fullMethodName} needs; empty for a method the table does not know. */
  public static Optional<Role> required(String fullMethodName) {
    return Optional.ofNullable(TABLE.get(fullMethodName));
  }
}
