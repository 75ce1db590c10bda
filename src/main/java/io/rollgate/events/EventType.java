package io.rollgate.events;

import java.util.Locale;

/** The rollout event kinds: exposure (enabled, disabled) and outcome (success, error). */
public enum EventType {
    ENABLED, DISABLED, SUCCESS, ERROR;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static EventType fromWire(String value) {
        for (EventType type : values()) {
            if (type.wireName.equals(value)) {
                return type;
            }
        }
        return null;
    }
}
