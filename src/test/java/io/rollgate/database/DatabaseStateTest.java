package io.rollgate.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rollgate.errors.DatabaseUnavailableException;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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
            public Duration lockTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration statementTimeout() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration idleInTransactionTimeout() {
                return Duration.ofMinutes(1);
            }

            @Override
            public Duration poolWait() {
                return Duration.ofSeconds(5);
            }

            @Override
            public boolean createIfMissing() {
                return false;
            }
        });
    }

    private static PgException error(String sqlState) {
        return new PgException("from PostgreSQL", "ERROR", sqlState, null);
    }

    @Test
    void aServerThatTakesNoWritesIsUnavailableAndMarksTheDatabaseDown() {
        // a standby behind the endpoint, a database set read-only, a server shutting down, a connection exception
        for (String state : List.of("25006", "57P01", "57P02", "57P03", "08006", "08003")) {
            Database database = database(3);
            Throwable answer = database.translate(new RuntimeException("wrapped", error(state)));
            assertInstanceOf(DatabaseUnavailableException.class, answer, state);
            assertTrue(answer.getMessage().contains("nothing was changed"), answer.getMessage());
            assertFalse(database.isUp(), state + " marks the database down");
        }
    }

    @Test
    void aLockHeldElsewhereRefusesOnlyThatChange() {
        Database database = database(3);
        Throwable answer = database.translate(error("55P03"));
        assertInstanceOf(DatabaseUnavailableException.class, answer);
        assertTrue(answer.getMessage().contains("lock"), answer.getMessage());
        assertTrue(database.isUp(), "another session's lock says nothing of the database");
    }

    @Test
    void aCancelledStatementCountsAsATimeout() {
        Database database = database(2);
        assertInstanceOf(DatabaseUnavailableException.class, database.translate(error("57014")));
        assertTrue(database.isUp());
        assertInstanceOf(DatabaseUnavailableException.class, database.translate(error("57014")));
        assertFalse(database.isUp(), "statement timeouts in a row mark the database down as slow answers do");
        assertInstanceOf(PgException.class, database(3).translate(error("22P02")), "other SQL errors stay as they are");
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
