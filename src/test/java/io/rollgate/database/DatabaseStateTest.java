package io.rollgate.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.TimeoutException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Slow is not down: when a replica stops trying the database and refuses writes. */
class DatabaseStateTest {

    private static Database database(int timeoutsBeforeDown) {
        return new Database(new SimpleMeterRegistry(), new DatabaseConfig() {
            @Override
            public Duration readTimeout() {
                return Duration.ofMillis(500);
            }

            @Override
            public Duration writeTimeout() {
                return Duration.ofSeconds(5);
            }

            @Override
            public int timeoutsBeforeDown() {
                return timeoutsBeforeDown;
            }

            @Override
            public Duration retryAfter() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Duration probeInterval() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration bootstrapRetry() {
                return Duration.ofSeconds(2);
            }

            @Override
            public boolean createIfMissing() {
                return false;
            }
        });
    }

    @Test
    void oneSlowReadLeavesTheDatabaseUpAndWritesAllowed() {
        Database database = database(3);
        database.failed(new TimeoutException());
        database.failed(new TimeoutException());
        assertTrue(database.isUp());
        database.requireUp();
    }

    @Test
    void timeoutsInARowMarkItDownAndAnAnswerInBetweenStartsTheCountAgain() {
        Database database = database(3);
        database.failed(new TimeoutException());
        database.failed(new TimeoutException());
        database.answered();
        database.failed(new TimeoutException());
        database.failed(new TimeoutException());
        assertTrue(database.isUp(), "an answer between the timeouts breaks the streak");
        database.failed(new TimeoutException());
        assertFalse(database.isUp());
        database.markUp();
        assertTrue(database.isUp());
    }

    @Test
    void aFailedConnectionMarksItDownAtOnce() {
        Database database = database(3);
        database.failed(new IOException("Connection refused"));
        assertFalse(database.isUp());
    }
}
