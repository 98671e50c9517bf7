package io.kvdb.gateway.api;

/** Bad input found by the gateway before Redis is touched; names the offending field. */
public final class InvalidArgumentException extends RuntimeException {
  private final String field;

  public InvalidArgumentException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
