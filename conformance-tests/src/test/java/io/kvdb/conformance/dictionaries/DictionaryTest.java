package io.kvdb.conformance.dictionaries;

import static io.kvdb.client.DictionaryClient.entry;
import static io.kvdb.client.DictionaryClient.translation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kvdb.client.DictionaryClient;
import io.kvdb.client.KvdbClient;
import io.kvdb.client.ListEntriesOptions;
import io.kvdb.client.PageOptions;
import io.kvdb.conformance.Expect;
import io.kvdb.conformance.KvdbTarget;
import io.kvdb.conformance.ProjectScopedTest;
import io.kvdb.proto.v1.DictionaryChunk;
import io.kvdb.proto.v1.Entry;
import io.kvdb.proto.v1.ErrorReason;
import io.kvdb.proto.v1.ListEntriesResponse;
import io.kvdb.proto.v1.TranslateRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Data dictionaries: entries, translations both ways, cascades, export and import. */
class DictionaryTest extends ProjectScopedTest {
  private static final Entry USD_CRM = entry("CRM", "currency", "USD");
  private static final Entry USD_ACCOUNTING = entry("ACCOUNTING", "currency", "840");
  private static final Entry EUR_CRM = entry("CRM", "currency", "EUR");
  private static final Entry EUR_ACCOUNTING = entry("ACCOUNTING", "currency", "978");

  private DictionaryClient dictionaries;

  @BeforeEach
  void dictionaries() {
    dictionaries = kvdb.dictionaries();
  }

  private void currencies() {
    dictionaries.putEntries(List.of(USD_CRM, USD_ACCOUNTING, EUR_CRM, EUR_ACCOUNTING));
    dictionaries.putTranslations(
        List.of(translation(USD_CRM, USD_ACCOUNTING), translation(EUR_CRM, EUR_ACCOUNTING)));
  }

  @Test
  void translationsWorkBothWays() {
    currencies();
    assertEquals(
        Optional.of("840"), dictionaries.translate("CRM", "currency", "USD", "ACCOUNTING"));
    assertEquals(
        Optional.of("USD"), dictionaries.translate("ACCOUNTING", "currency", "840", "CRM"));
    assertEquals(Optional.empty(), dictionaries.translate("CRM", "currency", "GBP", "ACCOUNTING"));
    Expect.invalid("requests", () -> dictionaries.translateBatch(List.of()));
  }

  @Test
  void aTranslationMayChangeItsKey() {
    Entry code = entry("SHOP", "iso-code", "USD");
    Entry number = entry("BANK", "iso-number", "840");
    dictionaries.putEntries(List.of(code, number));
    dictionaries.putTranslations(List.of(translation(code, number)));
    TranslateRequest request =
        TranslateRequest.newBuilder()
            .setFromSystem("SHOP")
            .setKey("iso-code")
            .setValue("USD")
            .setToSystem("BANK")
            .setToKey("iso-number")
            .build();
    assertEquals(Optional.of("840"), dictionaries.translate(request));
    assertEquals(
        Optional.empty(),
        dictionaries.translate("SHOP", "iso-code", "USD", "BANK"),
        "another key is not it");
  }

  @Test
  void batchTranslationAnswersEachInOrder() {
    currencies();
    var answers =
        dictionaries
            .translateBatch(
                List.of(
                    request("CRM", "USD", "ACCOUNTING"),
                    request("CRM", "GBP", "ACCOUNTING"),
                    request("ACCOUNTING", "978", "CRM")))
            .getAnswersList();
    assertEquals(List.of(true, false, true), answers.stream().map(a -> a.getFound()).toList());
    assertEquals(List.of("840", "", "EUR"), answers.stream().map(a -> a.getValue()).toList());
  }

  private static TranslateRequest request(String from, String value, String to) {
    return TranslateRequest.newBuilder()
        .setFromSystem(from)
        .setKey("currency")
        .setValue(value)
        .setToSystem(to)
        .build();
  }

  @Test
  void deletingAnEntryRemovesItsTranslations() {
    currencies();
    assertEquals(1, dictionaries.deleteEntries(List.of(USD_ACCOUNTING)));
    assertEquals(Optional.empty(), dictionaries.translate("CRM", "currency", "USD", "ACCOUNTING"));
    dictionaries.putEntries(List.of(USD_ACCOUNTING));
    assertEquals(
        Optional.empty(),
        dictionaries.translate("CRM", "currency", "USD", "ACCOUNTING"),
        "a new entry with the same value does not inherit the old links");
    assertEquals(
        Optional.of("978"), dictionaries.translate("CRM", "currency", "EUR", "ACCOUNTING"));
  }

  @Test
  void aNewTranslationReplacesTheOneItSupersedes() {
    currencies();
    Entry dollarCode = entry("ACCOUNTING", "currency", "USD-840");
    dictionaries.putEntries(List.of(dollarCode));
    dictionaries.putTranslations(List.of(translation(USD_CRM, dollarCode)));
    assertEquals(
        Optional.of("USD-840"), dictionaries.translate("CRM", "currency", "USD", "ACCOUNTING"));
    assertEquals(
        Optional.empty(),
        dictionaries.translate("ACCOUNTING", "currency", "840", "CRM"),
        "the old partner no longer points back");
  }

  @Test
  void translationsNeedExistingEntriesAndLinkNothingOtherwise() {
    dictionaries.putEntries(List.of(USD_CRM, USD_ACCOUNTING));
    var error =
        Expect.failure(
            Status.Code.NOT_FOUND,
            ErrorReason.NOT_FOUND,
            () ->
                dictionaries.putTranslations(
                    List.of(
                        translation(USD_CRM, USD_ACCOUNTING),
                        translation(EUR_CRM, EUR_ACCOUNTING))));
    assertTrue(error.getMessage().contains("translations.1.from"), error.getMessage());
    assertEquals(Optional.empty(), dictionaries.translate("CRM", "currency", "USD", "ACCOUNTING"));
  }

  @Test
  void entriesAndSystemsAreListedInOrderPageByPage() {
    assertEquals(2, dictionaries.putEntries(List.of(USD_CRM, EUR_CRM)));
    assertEquals(0, dictionaries.putEntries(List.of(USD_CRM)), "an existing entry is not new");
    dictionaries.putEntries(List.of(entry("CRM", "country", "PL"), USD_ACCOUNTING));

    ListEntriesResponse first =
        dictionaries.listEntries("CRM", ListEntriesOptions.newBuilder().setPageSize(2).build());
    ListEntriesResponse rest =
        dictionaries.listEntries(
            "CRM",
            ListEntriesOptions.newBuilder()
                .setPageSize(2)
                .setPageToken(first.getNextPageToken())
                .build());
    List<Entry> all = new ArrayList<>(first.getEntriesList());
    all.addAll(rest.getEntriesList());
    assertEquals(List.of(entry("CRM", "country", "PL"), EUR_CRM, USD_CRM), all);
    assertEquals("", rest.getNextPageToken());
    assertEquals(
        List.of(EUR_CRM, USD_CRM),
        dictionaries
            .listEntries("CRM", ListEntriesOptions.newBuilder().setKey("currency").build())
            .getEntriesList());
    assertEquals(
        List.of("ACCOUNTING", "CRM"), dictionaries.listSystems(PageOptions.FIRST).getSystemsList());

    dictionaries.deleteEntries(List.of(USD_ACCOUNTING));
    assertEquals(List.of("CRM"), dictionaries.listSystems(PageOptions.FIRST).getSystemsList());
  }

  @Test
  void anExportImportedElsewhereTranslatesTheSame() {
    currencies();
    List<Entry> many = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      many.add(entry("BULK", "code", "c" + i));
    }
    dictionaries.putEntries(many.subList(0, 1000));
    dictionaries.putEntries(many.subList(1000, 1500));
    String json = dictionaries.exportJson();
    assertTrue(json.contains("\"translations\""), json.substring(0, 200));

    try (KvdbClient elsewhere = KvdbTarget.newClient()) {
      elsewhere.dictionaries().putEntries(List.of(entry("OLD", "k", "v")));
      var loaded = elsewhere.dictionaries().importJson(json, true);
      assertEquals(1504, loaded.getEntries());
      assertEquals(2, loaded.getTranslations());
      DictionaryChunk copy = elsewhere.dictionaries().export();
      DictionaryChunk original = dictionaries.export();
      assertEquals(
          new HashSet<>(original.getEntriesList()),
          new HashSet<>(copy.getEntriesList()),
          "replace emptied OLD");
      assertEquals(
          new HashSet<>(original.getTranslationsList()), new HashSet<>(copy.getTranslationsList()));
      assertEquals(
          Optional.of("USD"),
          elsewhere.dictionaries().translate("ACCOUNTING", "currency", "840", "CRM"));
    }
  }

  @Test
  void badInputNamesTheField() {
    Expect.invalid(
        "entries.0.system", () -> dictionaries.putEntries(List.of(entry("no spaces", "k", "v"))));
    Expect.invalid(
        "entries.0.value", () -> dictionaries.putEntries(List.of(entry("S", "k", "tab\there"))));
    Expect.invalid("entries.0.value", () -> dictionaries.putEntries(List.of(entry("S", "k", ""))));
    Expect.invalid(
        "entries.0.value",
        () -> dictionaries.putEntries(List.of(entry("S", "k", "x".repeat(1025)))));
    Expect.invalid("entries", () -> dictionaries.putEntries(List.of()));
    Expect.invalid(
        "translations.0.to.key",
        () -> dictionaries.putTranslations(List.of(translation(USD_CRM, entry("S", "a:b", "v")))));
    Expect.invalid("from_system", () -> dictionaries.translate("", "currency", "USD", "CRM"));
  }
}
