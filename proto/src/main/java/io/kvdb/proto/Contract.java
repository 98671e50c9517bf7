package io.kvdb.proto;

import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.kvdb.proto.v1.BrokerProto;
import io.kvdb.proto.v1.ClaimsProto;
import io.kvdb.proto.v1.DictionariesProto;
import io.kvdb.proto.v1.FlavorsProto;
import io.kvdb.proto.v1.KeysProto;
import io.kvdb.proto.v1.LocksProto;
import io.kvdb.proto.v1.MessagesProto;
import io.kvdb.proto.v1.PoolsProto;
import io.kvdb.proto.v1.QueuesProto;
import io.kvdb.proto.v1.QuotasProto;
import io.kvdb.proto.v1.StatsProto;
import java.util.List;

/**
 * The whole contract in one list: every proto file that declares a service. A new proto file is
 * added here once, and the SDK's retry policy, the gateway's tests and the hostile-input walk
 * follow it; the walk fails when the gateway serves a service this list lacks.
 */
public final class Contract {
  private static final List<FileDescriptor> FILES =
      List.of(
          QueuesProto.getDescriptor(),
          MessagesProto.getDescriptor(),
          ClaimsProto.getDescriptor(),
          LocksProto.getDescriptor(),
          StatsProto.getDescriptor(),
          DictionariesProto.getDescriptor(),
          BrokerProto.getDescriptor(),
          KeysProto.getDescriptor(),
          QuotasProto.getDescriptor(),
          PoolsProto.getDescriptor(),
          FlavorsProto.getDescriptor());

  private Contract() {}

  /** The proto files that declare services, in the order the guide lists the domains. */
  public static List<FileDescriptor> files() {
    return FILES;
  }

  /** Every service of the contract, with its methods and their options. */
  public static List<ServiceDescriptor> services() {
    return FILES.stream().flatMap(file -> file.getServices().stream()).toList();
  }
}
