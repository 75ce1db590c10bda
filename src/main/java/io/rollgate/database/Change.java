package io.rollgate.database;

import java.util.Locale;
import java.util.Set;

/**
 * One committed change of what the service serves, as the database recorded it: what kind of thing, which
 * ones (none named for all of them) and the revision of the transaction that made it. A transaction that changed a
 * hundred thousand override documents is one change of that many keys, applied in one pass. A reset is a resync after the
 * database's revisions went back (a restore, a failover to a standby that lacked the last commits): its revision
 * may be lower than any applied before, and whatever was read at a higher one is to be replaced.
 */
public record Change(Subject subject, Set<String> keys, long revision, boolean reset) {

    public Change {
        keys = Set.copyOf(keys);
    }

    public Change(Subject subject, Set<String> keys, long revision) {
        this(subject, keys, revision, false);
    }

    /** What changed. The database names them in lower case; {@link #ALL} means "reload everything". */
    public enum Subject {
        FLAG, ROLLOUT, SEGMENT, CUSTOMER, ORGANIZATION, OVERRIDES, TOKEN, CANARY, ALL;

        /** The subject the database wrote, or null for one this version does not know. */
        static Subject fromDatabase(String name) {
            try {
                return name == null ? null : valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** Changes that alter the catalog snapshot (flags, kill switches, rollouts, segments). */
        public boolean touchesCatalog() {
            return this == FLAG || this == ROLLOUT || this == SEGMENT || this == ALL;
        }
    }

    /** Whether the change concerns every key of its subject (the database logs that as the empty key). */
    public boolean allKeys() {
        return keys.isEmpty() || keys.contains("");
    }

    static Change everything(long revision) {
        return new Change(Subject.ALL, Set.of(), revision);
    }

    static Change reset(long revision) {
        return new Change(Subject.ALL, Set.of(), revision, true);
    }
}
