package io.rollgate.rollouts;

import io.quarkus.scheduler.Scheduled;
import io.rollgate.database.JobRuns;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Checks every active rollout once per interval across all replicas; rolls back on evidence only. */
@ApplicationScoped
public class AutoRollbackJob {

    private final RolloutAutomation rollouts;
    private final JobRuns jobs;
    private final RolloutsConfig config;

    public AutoRollbackJob(RolloutAutomation rollouts, JobRuns jobs, RolloutsConfig config) {
        this.rollouts = rollouts;
        this.jobs = jobs;
        this.config = config;
    }

    @Scheduled(every = "${rollgate.rollouts.check-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return jobs.runOnce("auto-rollback", config.checkInterval(), rollouts::checkActive,
                () -> Uni.createFrom().voidItem());
    }
}
