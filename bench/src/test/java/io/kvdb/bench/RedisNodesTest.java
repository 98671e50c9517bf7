package io.kvdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvdb.bench.RedisNodes.Node;
import io.kvdb.bench.RedisNodes.SlotRange;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class RedisNodesTest {
  /** As Redis 7.0 prints it: a migrating slot, a single slot, a failed node, a hostname. */
  private static final String CLUSTER_NODES =
      """
      07c3 127.0.0.1:30004@40004 slave e7d1 0 1426238317239 4 connected
      67ed 127.0.0.1:30002@40002,node-b master - 0 1426238316232 2 connected 5461-10922 [10923->-292f]
      292f 127.0.0.1:30003@40003 master - 0 1426238318243 3 connected 10923-16383
      6ec2 127.0.0.1:30005@40005 slave,fail 67ed 1426238316232 1426238315000 2 disconnected
      e7d1 127.0.0.1:30001@40001 myself,master - 0 0 1 connected 0-5460 16000
      """;

  @Test
  void listsTheNodesThatAreUpPrimariesFirstWithTheirSlots() {
    List<Node> nodes = RedisNodes.parseClusterNodes(CLUSTER_NODES);

    assertEquals(
        List.of(
            new Node(
                new HostAndPort("127.0.0.1", 30001),
                true,
                List.of(new SlotRange(0, 5460), new SlotRange(16000, 16000))),
            new Node(
                new HostAndPort("127.0.0.1", 30002), true, List.of(new SlotRange(5461, 10922))),
            new Node(
                new HostAndPort("127.0.0.1", 30003), true, List.of(new SlotRange(10923, 16383))),
            new Node(new HostAndPort("127.0.0.1", 30004), false, List.of())),
        nodes);
    assertTrue(nodes.get(0).serves(16000));
    assertFalse(nodes.get(0).serves(5461));
  }
}
