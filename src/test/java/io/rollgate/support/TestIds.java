package io.rollgate.support;

import java.util.UUID;

/** Fresh ids per test, so tests own their data and never depend on order. */
public final class TestIds {

    private TestIds() {
    }

    public static String customer() {
        return "customer-" + UUID.randomUUID();
    }

    public static String organization() {
        return "org-" + UUID.randomUUID();
    }
}
