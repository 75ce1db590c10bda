package io.rollgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CatalogTest {

    @Test
    void aCatalogWithOneFlagReplacedKeepsEverythingElseAndLeavesTheOriginalAlone() {
        Catalog widget = TestFlags.widgetCatalog();
        Rollout rollout = new Rollout(TestFlags.RETRY_LOGIC, Tier.FULL, 100, RolloutStatus.ACTIVE, Set.of(), Set.of());
        Instant at = Instant.parse("2026-12-08T00:00:00Z");
        Catalog real = new Catalog(List.copyOf(widget.flags()), List.of(rollout), 7, at, at, 42);

        Catalog rehearsed = real.with(real.find(TestFlags.PARENT_STORAGE).orElseThrow().withEnabled(false));

        assertNotSame(real, rehearsed);
        assertEquals(false, rehearsed.find(TestFlags.PARENT_STORAGE).orElseThrow().enabled());
        assertTrue(real.find(TestFlags.PARENT_STORAGE).orElseThrow().enabled(), "the original is unchanged");
        assertEquals(real.flags().stream().map(FlagDefinition::key).toList(),
                rehearsed.flags().stream().map(FlagDefinition::key).toList(), "same flags, same order");
        assertSame(real.find(TestFlags.TAB_SYNC).orElseThrow(), rehearsed.find(TestFlags.TAB_SYNC).orElseThrow());
        assertSame(rollout, rehearsed.rollout(TestFlags.RETRY_LOGIC));
        assertEquals(List.of(7L, 42L), List.of(rehearsed.version(), rehearsed.revision()));
        assertEquals(real.find("phase1_parent_storage").orElseThrow().key(),
                rehearsed.find("phase1_parent_storage").orElseThrow().key(), "aliases still lead to the flag");
    }
}
