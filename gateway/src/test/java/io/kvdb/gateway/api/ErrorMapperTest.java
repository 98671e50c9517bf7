package io.kvdb.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kvdb.proto.v1.ErrorReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.exceptions.JedisBusyException;
import redis.clients.jedis.exceptions.JedisClusterException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Redis refusals that mean "not now" answer UNAVAILABLE (reason UNAVAILABLE), which clients retry;
 * the others stay INTERNAL. The messages are Redis's own, in the exception class Jedis reads each
 * into (it reads every reply starting with BUSY as {@link JedisBusyException}, BUSYKEY included).
 * BUSY and READONLY are also produced by a real Redis in RedisRefusalsTest.
 */
class ErrorMapperTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "LOADING Redis is loading the dataset in memory",
        "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.",
        "READONLY You can't write against a read only replica.",
        "READONLY You can't write against a read only replica. script:"
            + " d223ed8c7345b684e8ed044ed472601f536fa58b, on @user_script:1.",
        "ERR Error running script (call to f_d223ed8c7345b684e8ed044ed472601f536fa58b):"
            + " @user_script:1: @user_script: 1: -READONLY You can't write against a read only"
            + " replica. ",
        "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.",
        "NOREPLICAS Not enough good replicas to write.",
        "CLUSTERDOWN The cluster is down",
        "CLUSTERDOWN Hash slot not served",
        "TRYAGAIN Multiple keys request during rehashing of slot"
      })
  void aRefusalForNowIsUnavailable(String reply) throws Exception {
    StatusRuntimeException status = ErrorMapper.toStatus(asJedisReadsIt(reply));
    assertEquals(Status.Code.UNAVAILABLE, status.getStatus().getCode(), reply);
    assertEquals(ErrorReason.UNAVAILABLE.name(), reasonOf(status), reply);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "BUSYKEY Target key name already exists.",
        "BUSYGROUP Consumer Group name already exists",
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        "ERR Error running script (call to f_d223ed8c7345b684e8ed044ed472601f536fa58b):"
            + " @user_script:1: @user_script: 1: -WRONGTYPE Operation against a key holding the"
            + " wrong kind of value ",
        "ERR unknown command 'FOO'"
      })
  void anyOtherRefusalIsInternal(String reply) {
    StatusRuntimeException status = ErrorMapper.toStatus(asJedisReadsIt(reply));
    assertEquals(Status.Code.INTERNAL, status.getStatus().getCode(), reply);
  }

  private static JedisDataException asJedisReadsIt(String reply) {
    if (reply.startsWith("BUSY")) {
      return new JedisBusyException(reply);
    }
    if (reply.startsWith("CLUSTERDOWN")) {
      return new JedisClusterException(reply);
    }
    return new JedisDataException(reply);
  }

  private static String reasonOf(StatusRuntimeException status)
      throws InvalidProtocolBufferException {
    for (Any detail : StatusProto.fromThrowable(status).getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        return detail.unpack(ErrorInfo.class).getReason();
      }
    }
    throw new AssertionError("no ErrorInfo in " + status);
  }
}
