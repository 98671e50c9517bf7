package io.kvdb.client;

/** A project's quota ({@link QuotaLimits#NONE} when it has none) and what it uses. */
public record ProjectQuota(QuotaLimits limits, ProjectUsage usage) {
  public ProjectQuota {
    Check.notNull("limits", limits);
    Check.notNull("usage", usage);
  }
}
