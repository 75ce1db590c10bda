package io.rollgate.live;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class GroupsTest {

    @Test
    void aStreamThatJoinedIsInAGroupTheMapStillHoldsWhileTheHeartbeatDropsEmptyGroups() throws Exception {
        Groups<Set<Object>> groups = new Groups<>(Set::isEmpty);
        AtomicBoolean joining = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // streams of one customer open and close while heartbeats sweep: the window is between a sweep finding
            // the group empty and taking it out, so it takes real concurrency and many rounds
            Future<?> heartbeats = threads.submit(() -> {
                while (joining.get()) {
                    groups.dropEmpty();
                }
            });
            Future<?> streams = threads.submit(() -> {
                try {
                    for (int round = 0; round < 200_000; round++) {
                        Object stream = new Object();
                        Set<Object> joined = groups.join("customer\norganization", ConcurrentHashMap::newKeySet,
                                group -> group.add(stream));
                        assertSame(joined, groups.find("customer\norganization"),
                                "round " + round + ": the stream's group left the map; it hears of no change again");
                        joined.remove(stream);
                    }
                } finally {
                    joining.set(false);
                }
            });
            streams.get();
            heartbeats.get();
        } finally {
            threads.shutdownNow();
        }
    }
}
