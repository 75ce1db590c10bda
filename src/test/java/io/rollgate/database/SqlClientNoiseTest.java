package io.rollgate.database;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class SqlClientNoiseTest {

    private static final SqlClientNoise.KnownLines FILTER = new SqlClientNoise.KnownLines();

    private static LogRecord hibernate(String message) {
        LogRecord record = new LogRecord(Level.SEVERE, message);
        record.setLoggerName("org.hibernate.reactive.pool.impl.SqlClientConnection");
        return record;
    }

    @Test
    void aTransactionOnAConnectionAFailoverTookIsNotLoggedHowEverTheLossIsWorded() {
        for (String lost : SqlClientNoise.LOST_CONNECTION) {
            assertFalse(FILTER.isLoggable(hibernate("Failed to start a transaction: " + lost)), lost);
            assertFalse(FILTER.isLoggable(hibernate("Failed to commit transaction: " + lost)), lost);
            assertFalse(FILTER.isLoggable(hibernate("Failed to rollback transaction: " + lost)), lost);
        }
        // as a failover printed it
        assertFalse(FILTER.isLoggable(hibernate(
                "Failed to start a transaction: Connection is not active now, current status: CLOSED")));
        assertFalse(FILTER.isLoggable(hibernate("Failed to commit transaction: Failed to read any response from the "
                + "server, the underlying connection may have been lost unexpectedly.")));
    }

    @Test
    void anyOtherTransactionFailureOrLoggerIsStillLogged() {
        assertTrue(FILTER.isLoggable(hibernate("Failed to start a transaction: permission denied for table x")));
        assertTrue(FILTER.isLoggable(hibernate("Failed to commit transaction: could not serialize access")));
        LogRecord other = new LogRecord(Level.SEVERE, "Failed to start a transaction: Connection is closed");
        other.setLoggerName("io.rollgate.somewhere");
        assertTrue(FILTER.isLoggable(other));
    }
}
