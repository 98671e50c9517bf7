package io.kvdb.lua.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MsgpackValuesTest {
  @Test
  void jsonLikeValuesSurviveARoundTrip() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("null", null);
    nested.put("list", Arrays.asList(1L, "two", 3.5, true, null));
    nested.put("empty", Map.of());
    Object decoded = MsgpackValues.decode(MsgpackValues.encode(Map.of("outer", nested)));
    assertEquals(Map.of("outer", nested), decoded);
  }

  @Test
  void wholeDoublesBecomeIntegersSoLuaAndOtherLanguagesReadNumbers() {
    assertEquals(42L, MsgpackValues.decode(MsgpackValues.encode(42.0)));
    assertEquals(0.25, MsgpackValues.decode(MsgpackValues.encode(0.25)));
    assertEquals(1e300, MsgpackValues.decode(MsgpackValues.encode(1e300)));
    assertEquals(List.of(), MsgpackValues.decode(MsgpackValues.encode(List.of())));
  }

  @Test
  void refusesValuesThatAreNotJsonLike() {
    assertThrows(IllegalArgumentException.class, () -> MsgpackValues.encode(new Object()));
  }
}
