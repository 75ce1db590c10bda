package io.rollgate.evaluation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which flags this replica evaluated since the last time anyone asked: a flag set and one flag for "all of
 * them" (the widget config evaluates every flag), so the hot path pays a volatile write, not a database
 * round trip. Flag hygiene drains it periodically into the database.
 */
@ApplicationScoped
public class FlagUsage {

    /** What was evaluated since the last drain; {@code all} means every flag of the catalog. */
    public record Seen(boolean all, Set<String> keys) {
    }

    private volatile boolean all;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    void allEvaluated() {
        if (!all) {
            all = true;
        }
    }

    void evaluated(String key) {
        keys.add(key);
    }

    public Seen drain() {
        boolean wasAll = all;
        all = false;
        Set<String> seen = Set.copyOf(keys);
        keys.removeAll(seen);
        return new Seen(wasAll, seen);
    }
}
