package io.kvdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RedisReportTest {
  @Test
  void sumsCpuAndScriptCallsFromInfo() {
    String info =
        "# CPU\r\nused_cpu_sys:1.50\r\nused_cpu_user:2.25\r\nused_cpu_sys_children:9.0\r\n"
            + "# Commandstats\r\ncmdstat_evalsha:calls=40,usec=2000,usec_per_call=50.00,"
            + "rejected_calls=0,failed_calls=0\r\ncmdstat_info:calls=3,usec=30\r\n";

    assertEquals(new RedisReport.Usage(3.75, 40, 2000), RedisReport.Usage.parse(info));
  }
}
