package io.rollgate.support;

import java.util.Map;

/** Builds the nested documents for test requests. */
public final class Overrides {

    public static final String ENHANCED_STORAGE = "sessionPersistence.phase2.enhancedStorage";
    public static final String RETRY_LOGIC = "sessionPersistence.phase2.retryLogic";

    private Overrides() {
    }

    public static Map<String, Object> phase2(String flag, Object value) {
        return Map.of("sessionPersistence", Map.of("phase2", Map.of(flag, value)));
    }

    public static Map<String, Object> body(Map<String, Object> flags, String reason) {
        return Map.of("flags", flags, "reason", reason);
    }
}
