package io.rollgate.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class NewestTest {

    @Test
    void anOlderRevisionNeverReplacesANewerOne() {
        Newest<String> snapshot = new Newest<>("empty");
        assertEquals(-1, snapshot.revision());
        assertEquals("r5", snapshot.offer("r5", 5));
        assertEquals("r5", snapshot.offer("r3", 3), "a read that finished late with an older revision");
        assertEquals("r5", snapshot.offer("r5 again", 5), "the same revision is not installed twice");
        assertEquals("r6", snapshot.offer("r6", 6));
        assertEquals(6, snapshot.revision());
    }

    @Test
    void concurrentOffersInAnyOrderEndAtTheNewestAndNeverGoBack() throws Exception {
        Newest<Long> snapshot = new Newest<>(-1L);
        List<Long> revisions = new ArrayList<>();
        for (long r = 0; r < 20_000; r++) {
            revisions.add(r);
        }
        Collections.shuffle(revisions);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        Future<Boolean> watcher = Executors.newSingleThreadExecutor().submit(() -> {
            long last = -1;
            while (!done.get()) {
                long seen = snapshot.get();
                if (seen < last) {
                    return false;
                }
                last = seen;
            }
            return true;
        });
        List<Future<?>> offers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            List<Long> share = revisions.subList(t * 5_000, (t + 1) * 5_000);
            offers.add(threads.submit(() -> {
                go.await();
                share.forEach(r -> snapshot.offer(r, r));
                return null;
            }));
        }
        go.countDown();
        for (Future<?> offer : offers) {
            offer.get();
        }
        done.set(true);
        threads.shutdown();
        assertTrue(watcher.get(), "the value held went back to an older revision");
        assertEquals(19_999L, snapshot.get());
        assertEquals(19_999L, snapshot.revision());
    }
}
