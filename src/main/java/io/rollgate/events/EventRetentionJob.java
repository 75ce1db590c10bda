package io.rollgate.events;

import io.quarkus.scheduler.Scheduled;
import io.rollgate.database.JobRuns;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps raw events by day: creates the days ahead, drops the days past the retention whole, and deletes batch ids
 * and counters past theirs, once per interval across replicas.
 */
@ApplicationScoped
public class EventRetentionJob {

    /**
     * Days created ahead of today: an event may be stamped minutes ahead, and a fleet that stops running this job for
     * as long still has somewhere to put events (a replica's start creates them too).
     */
    static final int DAYS_AHEAD = 3;

    private static final Logger LOG = Logger.getLogger(EventRetentionJob.class);

    private final EventRepository repository;
    private final JobRuns jobs;
    private final EventsConfig config;
    private final Clock clock;

    public EventRetentionJob(EventRepository repository, JobRuns jobs, EventsConfig config, Clock clock) {
        this.clock = clock;
        this.repository = repository;
        this.jobs = jobs;
        this.config = config;
    }

    /** At start: the days an event may be stored in under the configured retention; answers how many were made. */
    public Uni<Integer> prepareDays() {
        return repository.createPartitions(clock.instant(), config.rawRetention(), DAYS_AHEAD);
    }

    @Scheduled(every = "${rollgate.events.retention-interval}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpired() {
        return jobs.runOnce("event-retention", config.retentionInterval(), () -> run(clock.instant()),
                () -> Uni.createFrom().voidItem());
    }

    /**
     * One run of the job as if at {@code at}: the days around it made, the days expired by then dropped, and the batch
     * ids and counters expired by then deleted.
     */
    Uni<Void> run(Instant at) {
        return repository.createPartitions(at, config.rawRetention(), DAYS_AHEAD)
                .chain(() -> repository.expiredPartitions(at, config.rawRetention()))
                .chain(expired -> Multi.createFrom().iterable(expired)
                        .onItem().transformToUniAndConcatenate(day -> repository.dropPartition(day)
                                .invoke(() -> LOG.infof("Event retention: dropped %s, every event in it older than %s",
                                        day.name(), config.rawRetention())))
                        .collect().last())
                .chain(() -> repository.deleteOlderThan(at, config.rawRetention(), config.counterRetention()));
    }
}
