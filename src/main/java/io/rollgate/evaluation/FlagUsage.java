package io.rollgate.evaluation;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which flags clients actually asked for since the last time anyone looked: a single evaluation (OFREP, the evaluate
 * endpoint) or a flag a widget reports using in its events. A bulk answer (the widget config, OFREP's bulk
 * evaluation) delivers every flag and says nothing of which ones the client uses, so it does not count. A set add,
 * never a database round trip; flag hygiene drains it periodically into the database.
 */
@ApplicationScoped
public class FlagUsage {

    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    void evaluated(String key) {
        keys.add(key);
    }

    /** A client reported using the flag (canonical key) in its events. */
    public void reported(String key) {
        keys.add(key);
    }

    /** The flags asked for since the last drain. */
    public Set<String> drain() {
        Set<String> seen = Set.copyOf(keys);
        keys.removeAll(seen);
        return seen;
    }
}
