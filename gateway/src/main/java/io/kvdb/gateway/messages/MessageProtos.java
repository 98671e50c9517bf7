package io.kvdb.gateway.messages;

import com.google.protobuf.ByteString;
import io.kvdb.gateway.api.ProtoTime;
import io.kvdb.lua.messages.StoredMessage;
import io.kvdb.proto.StructValues;
import io.kvdb.proto.v1.Message;

/** Stored messages to their proto form. */
public final class MessageProtos {
  private MessageProtos() {}

  public static Message toProto(StoredMessage message) {
    Message.Builder proto =
        Message.newBuilder()
            .setId(message.id())
            .setBody(ByteString.copyFrom(message.body()))
            .setAttributes(StructValues.toStruct(message.attributes()))
            .setTtl(ProtoTime.duration(message.ttl()))
            .setAge(ProtoTime.duration(message.age()))
            .setCreateTime(ProtoTime.timestamp(message.createdAt()))
            .setExpireTime(ProtoTime.timestamp(message.expiresAt()))
            .setClaimId(message.claimId())
            .setClaimCount(message.claimCount())
            .setClientId(message.clientId());
    if (message.visibleAt() != null) {
      proto.setVisibleTime(ProtoTime.timestamp(message.visibleAt()));
    }
    return proto.build();
  }
}
