package io.rollgate.events;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the reported events say of a flag, for the features that decide on them (rollouts): the one way in to
 * this feature's tables from outside it, so the statistics are computed in one place whoever asks.
 */
@ApplicationScoped
public class EventStatistics {

    private final EventRepository repository;

    public EventStatistics(EventRepository repository) {
        this.repository = repository;
    }

    /** Counts by type of a flag's events since {@code since}, for a page to show (nothing decides on them). */
    public Uni<WindowStats> window(String flagKey, Instant since) {
        return repository.windowStats(flagKey, since);
    }

    /** The same, on the connection of the current transaction (the one holding the rows the decision is about). */
    public Uni<WindowStats> windowInTransaction(String flagKey, Instant since) {
        return repository.windowStatsInTransaction(flagKey, since);
    }

    /** Per-minute counts by type over the last {@code minutes} minutes, oldest first. */
    public Uni<List<Map<String, Object>>> timeline(String flagKey, int minutes) {
        return repository.timeline(flagKey, minutes);
    }

    /** Distinct customers that reported the feature enabled since {@code since}. */
    public Uni<Long> enabledCustomers(String flagKey, Instant since) {
        return repository.enabledCustomers(flagKey, since);
    }
}
