package io.rollgate.flags;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Serializes writes of flag definitions and segments until the transaction ends, so what one checks against the
 * stored definitions (a prerequisite cycle, a key clash, a segment a flag names, a segment still in use) cannot be
 * undone by another write at once. Native SQL on Hibernate's session: it must hold in the transaction of the change,
 * and Panache has no words for advisory locks.
 */
@ApplicationScoped
public class DefinitionLock {

    /** Takes the lock in the current Hibernate transaction. */
    public Uni<Void> hold() {
        return Panache.getSession().chain(session -> session
                .createNativeQuery(
                        "SELECT 1 FROM (SELECT pg_advisory_xact_lock(hashtext('rollgate.flag-definitions'))) l",
                        Integer.class)
                .getSingleResult())
                .replaceWithVoid();
    }
}
