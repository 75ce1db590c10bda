package io.rollgate.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.support.Await;
import io.rollgate.support.EventStream;
import io.rollgate.support.Local;
import io.rollgate.support.PackagedService;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A rolling update as Kubernetes does it: SIGTERM to the packaged service under continuous load. Readiness
 * goes DOWN at once, the service keeps serving through its shutdown delay, and every request sent before
 * readiness went DOWN is answered 2xx; the process then exits well within the grace period.
 */
class GracefulShutdownIT {

    private static final int PORT = 8096;
    private static final int MANAGEMENT_PORT = 9096;

    /** One request: when it was sent, and its status (0 when it failed to get an answer). */
    private record Sent(long at, int status) {
    }

    private static int status(String path) {
        return Local.status(PORT, path);
    }

    private static int ready() {
        return Local.status(MANAGEMENT_PORT, "/q/health/ready");
    }

    @Test
    void everyRequestSentBeforeReadinessWentDownIsAnswered() throws Exception {
        Process service = new ProcessBuilder(PackagedService.command("-Dquarkus.profile=test",
                "-Dquarkus.http.port=" + PORT, "-Dquarkus.management.port=" + MANAGEMENT_PORT,
                "-Dquarkus.shutdown.delay=3s", "-Dquarkus.log.file.enabled=false"))
                .redirectErrorStream(true).redirectOutput(new File("target/graceful-shutdown.log")).start();
        ExecutorService load = Executors.newFixedThreadPool(4);
        try {
            Local.awaitReady(service, MANAGEMENT_PORT);
            ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int client = i;
                tasks.add(load.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        long at = System.nanoTime();
                        sent.add(new Sent(at, status("/api/widget/config?customerId=drain-" + client + "-" + n++)));
                    }
                }));
            }
            // an open widget, streaming its configuration: the service ends its stream so it reconnects elsewhere
            EventStream stream = EventStream.open(PORT, "/api/widget/config/stream?customerId=drain-stream", null);
            stream.next(Duration.ofSeconds(5));
            // the load well under way before the signal: answers coming back from every client
            Await.until(Duration.ofSeconds(30), Duration.ofMillis(20), () -> sent.size() >= 500,
                    "500 requests answered before SIGTERM");
            long terminated = System.nanoTime();
            service.destroy(); // SIGTERM
            AtomicLong downAt = new AtomicLong();
            while (downAt.get() == 0 && service.isAlive()) {
                if (ready() != 200) {
                    downAt.set(System.nanoTime());
                }
            }
            assertTrue(stream.awaitEnd(Duration.ofSeconds(40)), "the open stream is ended on shutdown");
            assertTrue(service.waitFor(40, TimeUnit.SECONDS), "the service should exit within the grace period");
            // an open stream never finishes by itself: it must not hold the shutdown for its whole 30 s timeout
            long exitMillis = (System.nanoTime() - terminated) / 1_000_000;
            assertTrue(exitMillis < 15_000, "exited " + exitMillis + " ms after SIGTERM with a stream open");
            running.set(false);
            load.shutdown();
            assertTrue(load.awaitTermination(20, TimeUnit.SECONDS));
            for (java.util.concurrent.Future<?> task : tasks) {
                task.get(); // a client that failed fails the test with its own exception
            }
            assertTrue(downAt.get() > 0, "readiness should report DOWN while the service drains");
            List<Sent> beforeDown = new ArrayList<>(sent.stream().filter(s -> s.at() < downAt.get()).toList());
            long afterSigterm = beforeDown.stream().filter(s -> s.at() >= terminated).count();
            System.out.printf("%d requests sent before readiness went DOWN (%d after SIGTERM); readiness DOWN %d ms "
                    + "after SIGTERM%n", beforeDown.size(), afterSigterm, (downAt.get() - terminated) / 1_000_000);
            assertTrue(beforeDown.size() > 20, "enough load: " + beforeDown.size());
            assertEquals(List.of(), beforeDown.stream().filter(s -> s.status() < 200 || s.status() >= 300).toList(),
                    "requests sent before readiness went DOWN that were not answered 2xx");
            // and while endpoints drain (the shutdown delay is 3 s here), it still answers
            long drainEnd = downAt.get() + Duration.ofSeconds(2).toNanos();
            List<Sent> draining = sent.stream().filter(s -> s.at() >= downAt.get() && s.at() < drainEnd).toList();
            assertTrue(draining.size() > 5, "requests during the drain: " + draining.size());
            assertEquals(List.of(), draining.stream().filter(s -> s.status() < 200 || s.status() >= 300).toList(),
                    "requests during the shutdown delay that were not answered 2xx");
        } finally {
            load.shutdownNow();
            service.destroyForcibly();
        }
    }
}
