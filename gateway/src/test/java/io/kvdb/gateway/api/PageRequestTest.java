package io.kvdb.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PageRequestTest {
  @Test
  void tokensRoundTripTheLastName() {
    PageRequest page = PageRequest.of(5, 10, 1000, PageRequest.tokenAfter("jobs.a-1"));
    assertEquals(new PageRequest(5, "jobs.a-1"), page);
  }

  @Test
  void zeroMeansTheDefaultAndNoTokenMeansTheStart() {
    PageRequest page = PageRequest.of(0, 10, 1000, "");
    assertEquals(10, page.size());
    assertNull(page.after());
  }

  @Test
  void sizesOutOfBoundsAndForeignTokensNameTheirField() {
    assertEquals(
        "page_size",
        assertThrows(InvalidArgumentException.class, () -> PageRequest.of(1001, 10, 1000, ""))
            .field());
    assertEquals(
        "page_token",
        assertThrows(InvalidArgumentException.class, () -> PageRequest.of(1, 10, 1000, "%%%"))
            .field());
    assertEquals(
        "page_token",
        assertThrows(
                InvalidArgumentException.class,
                () -> PageRequest.of(1, 10, 1000, PageRequest.tokenAfter("").substring(0, 2)))
            .field());
  }
}
