package io.rollgate.engine;

import static io.rollgate.engine.TestFlags.ENHANCED_STORAGE;
import static io.rollgate.engine.TestFlags.RETRY_LOGIC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverrideDocumentTest {

    private final Catalog catalog = TestFlags.widgetCatalog();

    @Test
    void nestedDocumentFlattensToFlagKeys() {
        Map<String, Boolean> leaves = OverrideDocument.parse(
                Map.of("sessionPersistence", Map.of("phase2", Map.of("enhancedStorage", true, "retryLogic", false))),
                catalog, false);
        assertEquals(Map.of(ENHANCED_STORAGE, true, RETRY_LOGIC, false), leaves);
    }

    @Test
    void unknownPathsAndNonBooleanLeavesAreAllReported() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OverrideDocument.parse(
                Map.of("sessionPersistence", Map.of("phase2", Map.of("enhancedStorage", "yes", "teleport", true))),
                catalog, false));
        List<Violation> violations = e.violations();
        assertEquals(2, violations.size());
        assertTrue(violations.contains(new Violation(ENHANCED_STORAGE, "must be true or false")));
        assertTrue(violations.contains(new Violation("sessionPersistence.phase2.teleport", "is not a known flag")));
    }

    @Test
    void anObjectWhereAFlagIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OverrideDocument.parse(
                Map.of("sessionPersistence", Map.of("phase2", Map.of("enhancedStorage", Map.of("x", true)))),
                catalog, false));
        assertEquals(ENHANCED_STORAGE, e.violations().get(0).field());
    }

    @Test
    void aBooleanWhereAGroupIsRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OverrideDocument.parse(Map.of("sessionPersistence", true), catalog, false));
        assertEquals("sessionPersistence", e.violations().get(0).field());
    }

    @Test
    void nullLeavesOnlyInMergePatches() {
        Map<String, Object> phase2 = new HashMap<>();
        phase2.put("enhancedStorage", null);
        Map<String, Object> document = Map.of("sessionPersistence", Map.of("phase2", phase2));
        assertThrows(InvalidInputException.class, () -> OverrideDocument.parse(document, catalog, false));
        Map<String, Boolean> patch = OverrideDocument.parse(document, catalog, true);
        assertTrue(patch.containsKey(ENHANCED_STORAGE));
        assertNull(patch.get(ENHANCED_STORAGE));
    }

    @Test
    void overlyDeepDocumentsAreRefused() {
        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> node = deep;
        for (int i = 0; i < 20; i++) {
            Map<String, Object> child = new LinkedHashMap<>();
            node.put("n" + i, child);
            node = child;
        }
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OverrideDocument.parse(deep, catalog, false));
        assertTrue(e.violations().get(0).reason().contains("deeper"));
    }

    @Test
    void mergeIsPerLeafAndNullRemoves() {
        OverrideDocument stored = OverrideDocument.of(Map.of(ENHANCED_STORAGE, true, RETRY_LOGIC, true));
        Map<String, Boolean> patch = new HashMap<>();
        patch.put(RETRY_LOGIC, null);
        patch.put(TestFlags.TAB_SYNC, true);
        OverrideDocument merged = stored.merge(patch);
        assertEquals(Map.of(ENHANCED_STORAGE, true, TestFlags.TAB_SYNC, true), merged.leaves());
        assertEquals(Map.of(ENHANCED_STORAGE, true, RETRY_LOGIC, true), stored.leaves(), "merge must not mutate");
    }

    @Test
    void nestedFormRoundTrips() {
        OverrideDocument document = OverrideDocument.of(Map.of(ENHANCED_STORAGE, true, RETRY_LOGIC, false));
        assertEquals(Map.of("sessionPersistence", Map.of("phase2", Map.of("enhancedStorage", true,
                "retryLogic", false))), document.toNested());
        assertEquals(document, OverrideDocument.fromStored(document.toNested()));
    }

    @Test
    void storedDocumentsSkipNonBooleanLeaves() {
        OverrideDocument document = OverrideDocument.fromStored(
                Map.of("sessionPersistence", Map.of("phase2", Map.of("enhancedStorage", "true", "retryLogic", true))));
        assertEquals(Map.of(RETRY_LOGIC, true), document.leaves());
        assertFalse(document.isEmpty());
    }
}
