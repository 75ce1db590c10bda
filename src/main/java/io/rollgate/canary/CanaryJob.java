package io.rollgate.canary;

import io.quarkus.scheduler.Scheduled;
import io.rollgate.database.JobRuns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Advances, completes or rolls back canaries on their metrics, once per interval across replicas; the
 * other replicas refresh their routing table in the meantime.
 */
@ApplicationScoped
public class CanaryJob {

    private final CanaryService canaries;
    private final JobRuns jobs;
    private final CanaryConfig config;
    private final CanaryRouting routing;

    public CanaryJob(CanaryService canaries, JobRuns jobs, CanaryConfig config, CanaryRouting routing) {
        this.routing = routing;
        this.canaries = canaries;
        this.jobs = jobs;
        this.config = config;
    }

    @Scheduled(every = "${rollgate.canary.check-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return jobs.runOnce("canary-automation", config.checkInterval(), canaries::automate,
                () -> routing.refresh(null));
    }

    @Scheduled(every = "${rollgate.canary.retention-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> deleteExpiredBatches() {
        return jobs.runOnce("canary-batch-retention", config.retentionInterval(),
                () -> canaries.deleteBatchesOlderThan(config.batchRetention()), () -> Uni.createFrom().voidItem());
    }
}
