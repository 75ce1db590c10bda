package io.rollgate.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A small catalog shaped like the widget catalog, for engine tests. */
final class TestFlags {

    static final String PARENT_STORAGE = "sessionPersistence.phase1.parentStorage";
    static final String ENHANCED_STORAGE = "sessionPersistence.phase2.enhancedStorage";
    static final String RETRY_LOGIC = "sessionPersistence.phase2.retryLogic";
    static final String PERFORMANCE_MODE = "sessionPersistence.phase3.performanceMode";
    static final String TAB_SYNC = "sessionPersistence.phase3.tabSync";

    private TestFlags() {
    }

    static Catalog widgetCatalog() {
        return new Catalog(List.of(
                flag(PARENT_STORAGE, "phase1_parent_storage", "phase1", true, true, true, true),
                flag(ENHANCED_STORAGE, "phase2_enhanced_storage", "phase2", false, false, true, true,
                        PARENT_STORAGE),
                flag(RETRY_LOGIC, "phase2_retry_logic", "phase2", false, false, true, true, PARENT_STORAGE),
                flag(PERFORMANCE_MODE, "phase3_performance_mode", "phase3", false, false, false, true,
                        ENHANCED_STORAGE),
                flag(TAB_SYNC, "phase3_tab_sync", "phase3", false, false, false, true,
                        ENHANCED_STORAGE, PERFORMANCE_MODE)),
                Instant.EPOCH);
    }

    static FlagDefinition flag(String key, String alias, String group, boolean systemDefault, boolean production,
            boolean staging, boolean development, String... prerequisites) {
        return new FlagDefinition(key, alias, "", group, true, systemDefault,
                Map.of("production", production, "staging", staging, "development", development),
                List.of(prerequisites), 0);
    }

    static Catalog kill(Catalog catalog, String key) {
        return new Catalog(catalog.flags().stream()
                .map(flag -> flag.key().equals(key) ? flag.withEnabled(false) : flag)
                .toList(), Instant.EPOCH);
    }
}
