package io.rollgate.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster-once jobs as the database records them (job_runs): a test that must show nothing more happens
 * waits for the job to have run again, instead of sleeping and hoping it did.
 */
public final class Jobs {

    private Jobs() {
    }

    private static Object lastRun(String job) {
        List<Map<String, Object>> rows = TestDatabase.query("SELECT last_run FROM job_runs WHERE job = ?", job);
        return rows.isEmpty() ? null : rows.get(0).get("last_run");
    }

    /** Waits until {@code job} has run {@code runs} more times (on any replica). */
    public static void awaitRuns(String job, int runs) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        Object last = lastRun(job);
        int seen = 0;
        while (seen < runs) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the job " + job + " ran " + seen + " of " + runs + " times");
            }
            Thread.sleep(50);
            Object now = lastRun(job);
            if (!Objects.equals(now, last)) {
                seen++;
                last = now;
            }
        }
    }
}
