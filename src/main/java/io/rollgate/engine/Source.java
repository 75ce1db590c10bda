package io.rollgate.engine;

import java.util.Locale;

/** Where a flag's value came from, in the order the engine tries them. */
public enum Source {
    DISABLED, PREREQUISITE, CUSTOMER_OVERRIDE, ORGANIZATION_OVERRIDE, RULE, ROLLOUT, PERCENTAGE, ENVIRONMENT, DEFAULT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The name clients see, such as {@code customer_override}. */
    public String wireName() {
        return wireName;
    }
}
