package io.rollgate.overrides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class LastKnownGoodTest {

    private final Map<String, LastKnownGood.Stamped<String>> storage = new ConcurrentHashMap<>();
    private final LastKnownGood<String> known = new LastKnownGood<>(storage::get, storage::put);

    @Test
    void aReadThatStartedBeforeAWriteCannotReplaceTheWrittenValue() {
        long read = known.stamp();
        long write = known.stamp();
        assertTrue(known.offer("customer:c-1", write, "after"));
        assertFalse(known.offer("customer:c-1", read, "before"));
        assertEquals("after", known.value("customer:c-1"));
    }

    @Test
    void aReadThatFinishesBeforeTheWriteIsReplacedByIt() {
        long read = known.stamp();
        assertTrue(known.offer("customer:c-1", read, "before"));
        assertTrue(known.offer("customer:c-1", known.stamp(), "after"));
        assertEquals("after", known.value("customer:c-1"));
    }

    @Test
    void aReadThatStartedAfterTheWriteReplacesIt() {
        known.offer("customer:c-1", known.stamp(), "written");
        assertTrue(known.offer("customer:c-1", known.stamp(), "read later"));
        assertEquals("read later", known.value("customer:c-1"));
    }

    @Test
    void keysAreIndependent() {
        long early = known.stamp();
        known.offer("customer:c-1", known.stamp(), "c-1");
        assertTrue(known.offer("organization:o-1", early, "o-1"));
        assertEquals("o-1", known.value("organization:o-1"));
        assertNull(known.value("customer:c-2"));
    }

    @Test
    void concurrentOffersKeepTheHighestStamp() throws Exception {
        Thread[] threads = new Thread[4];
        long[][] stamps = new long[threads.length][1_000];
        for (long[] row : stamps) {
            for (int i = 0; i < row.length; i++) {
                row[i] = known.stamp();
            }
        }
        long highest = known.stamp() - 1;
        for (int t = 0; t < threads.length; t++) {
            long[] mine = stamps[t];
            threads[t] = new Thread(() -> {
                for (long stamp : mine) {
                    known.offer("k", stamp, Long.toString(stamp));
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(highest, storage.get("k").stamp());
        assertEquals(Long.toString(highest), known.value("k"));
    }
}
