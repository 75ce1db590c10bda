package io.rollgate.overrides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rollgate.engine.OverrideDocument;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HeldDocumentsTest {

    private static OverrideDocument document(boolean on) {
        return OverrideDocument.of(Map.of("chat", on));
    }

    @Test
    void everyIdFindsItsOwnDocumentAndNoOtherIdFindsOne() {
        Map<String, OverrideDocument> loaded = new LinkedHashMap<>();
        for (int i = 0; i < 20_000; i++) {
            loaded.put("customer-" + i, i % 3 == 0 ? document(true) : document(false));
        }
        HeldDocuments held = HeldDocuments.of(loaded, Integer.MAX_VALUE);
        loaded.forEach((id, document) -> assertSame(document, held.get(id), id));
        for (int i = 20_000; i < 40_000; i++) {
            assertNull(held.get("customer-" + i));
        }
        assertNull(held.get("customer-1 ")); // an id held with one more byte
        assertNull(held.get("customer-"));
        assertNull(held.get(""));
    }

    @Test
    void idsBeyondAsciiAreHeldAsTheyWereWritten() {
        Map<String, OverrideDocument> loaded = new LinkedHashMap<>();
        List<String> ids = List.of("kunde-ü", "客户-7", "customer-\uD83D\uDE00", "kunde-u");
        ids.forEach(id -> loaded.put(id, document(id.length() % 2 == 0)));
        HeldDocuments held = HeldDocuments.of(loaded, 10);
        ids.forEach(id -> assertSame(loaded.get(id), held.get(id), id));
        assertNull(held.get("kunde-ü-2"));
        assertNull(held.get("客户-8"));
        assertEquals(Set.copyOf(ids), held.ids().collect(Collectors.toSet()));
    }

    @Test
    void itHoldsTheFirstDocumentsUpToItsLimit() {
        Map<String, OverrideDocument> loaded = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            loaded.put("customer-" + i, document(true));
        }
        HeldDocuments held = HeldDocuments.of(loaded, 4);
        assertEquals(List.of("customer-0", "customer-1", "customer-2", "customer-3"), held.ids().toList());
        assertNull(held.get("customer-4"));
    }

    @Test
    void documentsLeaveOneByOneOrByTheirIdsAndTheRestStay() {
        Map<String, OverrideDocument> loaded = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            loaded.put((i < 50 ? "gone-" : "customer-") + i, document(i % 2 == 0));
        }
        HeldDocuments held = HeldDocuments.of(loaded, Integer.MAX_VALUE);
        assertSame(loaded.get("customer-70"), held.remove("customer-70"));
        assertNull(held.remove("customer-70"));
        assertNull(held.get("customer-70"));
        assertNull(held.remove("customer-700"));
        held.removeIf(id -> id.startsWith("gone-"));

        Map<String, OverrideDocument> left = new TreeMap<>();
        held.forEach(left::put);
        Map<String, OverrideDocument> expected = new HashMap<>(loaded);
        expected.keySet().removeIf(id -> id.startsWith("gone-") || id.equals("customer-70"));
        assertEquals(new TreeMap<>(expected), left);
        assertEquals(expected.keySet(), held.ids().collect(Collectors.toSet()));
        expected.forEach((id, document) -> assertSame(document, held.get(id)));
    }

    @Test
    void nothingLoadedHoldsNothing() {
        HeldDocuments held = HeldDocuments.of(Map.of(), Integer.MAX_VALUE);
        assertNull(held.get("customer-1"));
        assertEquals(0, held.ids().count());
    }
}
