package io.rollgate.database;

import java.util.Locale;

/**
 * One committed change of what the service serves, as the database recorded it: what kind of thing, which
 * one (empty for all of them) and the revision of the transaction that made it.
 */
public record Change(Subject subject, String key, long revision) {

    /** What changed. The database names them in lower case; {@link #ALL} means "reload everything". */
    public enum Subject {
        FLAG, ROLLOUT, CUSTOMER, ORGANIZATION, OVERRIDES, TOKEN, CANARY, ALL;

        /** The subject the database wrote, or null for one this version does not know. */
        static Subject fromDatabase(String name) {
            try {
                return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** Changes that alter the catalog snapshot (flags, kill switches, rollouts). */
        public boolean touchesCatalog() {
            return this == FLAG || this == ROLLOUT || this == ALL;
        }
    }

    /** Whether the change concerns every key of its subject. */
    public boolean allKeys() {
        return key == null || key.isEmpty();
    }

    static Change everything(long revision) {
        return new Change(Subject.ALL, "", revision);
    }
}
