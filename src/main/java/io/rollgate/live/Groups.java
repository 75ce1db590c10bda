package io.rollgate.live;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Groups of open streams by key. Joining a group (found or made) and dropping a group found empty are each one
 * atomic step of the map: a stream can never join a group that has just left the map, where it would hear of no
 * change again and its slot would never be freed.
 */
final class Groups<G> {

    private final Map<String, G> byKey = new ConcurrentHashMap<>();
    private final Predicate<G> empty;

    Groups(Predicate<G> empty) {
        this.empty = empty;
    }

    /** The group of {@code key}, made if there is none, after {@code join} ran on it inside the same step. */
    G join(String key, Supplier<G> make, Consumer<G> join) {
        return byKey.compute(key, (ignored, found) -> {
            G group = found != null ? found : make.get();
            join.accept(group);
            return group;
        });
    }

    /** Drops every group that is empty at the moment it is looked at. */
    void dropEmpty() {
        for (String key : byKey.keySet()) {
            byKey.computeIfPresent(key, (ignored, group) -> empty.test(group) ? null : group);
        }
    }

    G find(String key) {
        return byKey.get(key);
    }

    Collection<G> all() {
        return byKey.values();
    }
}
