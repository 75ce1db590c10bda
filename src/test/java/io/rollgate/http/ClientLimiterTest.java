package io.rollgate.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The limiter's memory stays bounded however many distinct clients arrive. */
class ClientLimiterTest {

    @Test
    void aMillionDistinctClientsKeepTheMapBounded() {
        ClientLimiter limiter = new ClientLimiter(1, 5, 10_000, Duration.ofMinutes(2));
        for (int i = 0; i < 1_000_000; i++) {
            assertTrue(limiter.take("client-" + i), "a new client starts with a full bucket");
        }
        long tracked = limiter.clients();
        assertTrue(tracked <= 10_000, tracked + " clients tracked");
    }

    @Test
    void aClientGetsItsBurstThenWaits() {
        ClientLimiter limiter = new ClientLimiter(0.001, 3, 100, Duration.ofMinutes(2));
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.take("one"));
        }
        assertFalse(limiter.take("one"));
        assertTrue(limiter.take("two"), "another client has its own bucket");
    }
}
