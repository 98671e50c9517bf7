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
  void listsTheNodesThatAreUpWithTheirRolesAndSlots() {
    List<Node> nodes = RedisNodes.parseClusterNodes(CLUSTER_NODES);

    assertEquals(
        List.of(
            new Node(new HostAndPort("127.0.0.1", 30004), false, List.of()),
            new Node(
                new HostAndPort("127.0.0.1", 30002), true, List.of(new SlotRange(5461, 10922))),
            new Node(
                new HostAndPort("127.0.0.1", 30003), true, List.of(new SlotRange(10923, 16383))),
            new Node(
                new HostAndPort("127.0.0.1", 30001),
                true,
                List.of(new SlotRange(0, 5460), new SlotRange(16000, 16000)))),
        nodes);
    assertTrue(nodes.get(3).serves(16000));
    assertFalse(nodes.get(3).serves(5461));
  }

  @Test
  void sumsCpuAndScriptCallsFromInfo() {
    String info =
        "# CPU\r\nused_cpu_sys:1.50\r\nused_cpu_user:2.25\r\nused_cpu_sys_children:9.0\r\n"
            + "# Commandstats\r\ncmdstat_evalsha:calls=40,usec=2000,usec_per_call=50.00,"
            + "rejected_calls=0,failed_calls=0\r\ncmdstat_info:calls=3,usec=30\r\n";

    assertEquals(new RedisReport.Usage(3.75, 40, 2000), RedisReport.Usage.parse(info));
  }
}
