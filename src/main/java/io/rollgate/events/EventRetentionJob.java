package io.rollgate.events;

import io.quarkus.scheduler.Scheduled;
import io.rollgate.database.JobRuns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Deletes raw events, batch ids and counters past their retention, once per interval across replicas. */
@ApplicationScoped
public class EventRetentionJob {

    private static final Logger LOG = Logger.getLogger(EventRetentionJob.class);

    private final EventRepository repository;
    private final JobRuns jobs;
    private final EventsConfig config;

    public EventRetentionJob(EventRepository repository, JobRuns jobs, EventsConfig config) {
        this.repository = repository;
        this.jobs = jobs;
        this.config = config;
    }

    @Scheduled(every = "${rollgate.events.retention-interval}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpired() {
        return jobs.runOnce("event-retention", config.retentionInterval(),
                () -> repository.deleteOlderThan(config.rawRetention(), config.counterRetention())
                        .invoke(deleted -> {
                            if (deleted > 0) {
                                LOG.infof("Event retention: deleted %d raw events older than %s", deleted,
                                        config.rawRetention());
                            }
                        }),
                () -> Uni.createFrom().voidItem());
    }
}
