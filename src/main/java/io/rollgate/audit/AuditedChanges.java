package io.rollgate.audit;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.rollgate.database.Database;
import io.rollgate.errors.DatabaseUnavailableException;
import io.rollgate.http.WarmUpRequests;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The one way an audited change is written: refused at once while the database is down (nothing
 * half-starts), the change and its audit rows in one transaction, bounded by the write timeout, and
 * failures mapped to the API's answers (409 on a concurrent change, 503 when PostgreSQL fails). Every
 * replica hears of the change from the database itself, which records it in the same transaction.
 */
@ApplicationScoped
public class AuditedChanges {

    /** What a change produced, and the audit entries that record it (none when nothing changed). */
    public record Outcome<T>(T result, List<AuditEntry> entries) {

        public Outcome {
            entries = List.copyOf(entries);
        }

        public static <T> Outcome<T> of(T result, List<AuditEntry> entries) {
            return new Outcome<>(result, entries);
        }

        public static <T> Outcome<T> of(T result, AuditEntry entry) {
            return new Outcome<>(result, List.of(entry));
        }

        public static <T> Outcome<T> unchanged(T result) {
            return new Outcome<>(result, List.of());
        }
    }

    /** How long a rehearsal waits for a row a real change holds before it gives up. */
    private static final String REHEARSAL_LOCK_WAIT = "100ms";

    private final AuditRepository audit;
    private final Database database;

    public AuditedChanges(AuditRepository audit, Database database) {
        this.audit = audit;
        this.database = database;
    }

    /**
     * Runs {@code change} in a Hibernate Reactive transaction and appends its audit entries in it before it commits.
     * The repositories it calls take part through the session: Panache for the aggregates, native SQL for what only
     * SQL says well (advisory locks, JSONB documents, upserts).
     */
    public <T> Uni<Outcome<T>> write(Supplier<Uni<Outcome<T>>> change) {
        if (!database.isUp()) {
            return refused();
        }
        if (WarmUpRequests.rehearsing()) {
            return Panache.withTransaction(() -> rehearsal(change)).plug(database::bounded);
        }
        Database.CommitWatch commit = new Database.CommitWatch();
        return Panache.withTransaction(() -> commit.body(change.get().call(outcome -> audit.append(outcome.entries()))))
                .onFailure(commit::lostAtCommit).transform(database::outcomeUnknown)
                .plug(database::bounded);
    }

    /**
     * The transaction of a rehearsal: it waits a moment at most for a lock a real change holds (it gives way rather
     * than queue ahead of the next real change), tells the database it is one (no change is logged, no revision
     * taken, and a COMMIT would fail), flushes what a commit would, and is marked to be rolled back.
     */
    private <T> Uni<Outcome<T>> rehearsal(Supplier<Uni<Outcome<T>>> change) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("SELECT set_config('rollgate.rehearsal', 'on', true), "
                        + "set_config('lock_timeout', '" + REHEARSAL_LOCK_WAIT + "', true)", Object[].class)
                        .getSingleResult())
                .chain(ignored -> change.get())
                .call(outcome -> audit.append(outcome.entries()))
                .call(Panache::flush)
                .call(() -> Panache.currentTransaction().invoke(Mutiny.Transaction::markForRollback));
    }

    private static <T> Uni<T> refused() {
        return Uni.createFrom().failure(
                new DatabaseUnavailableException("The database is unavailable; nothing was changed", null));
    }
}
