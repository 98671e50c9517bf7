package io.kvdb.conformance;

import io.kvdb.client.KvdbClient;
import io.kvdb.client.QueueClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test that works in a project of its own, through a fresh SDK client. */
public abstract class ProjectScopedTest {
  protected String project;
  protected KvdbClient kvdb;
  protected QueueClient queues;

  @BeforeEach
  void connectToAFreshProject() {
    project = KvdbTarget.freshProject();
    kvdb = KvdbTarget.client(project);
    queues = kvdb.queues();
  }

  @AfterEach
  void closeClient() {
    kvdb.close();
  }
}
