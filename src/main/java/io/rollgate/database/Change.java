package io.rollgate.database;

import java.util.Locale;

/**
 * One committed change of what the service serves, as the database recorded it: what kind of thing, which
 * one (empty for all of them) and the revision of the transaction that made it. A reset is a resync after the
 * database's revisions went back (a restore, a failover to a standby that lacked the last commits): its revision
 * may be lower than any applied before, and whatever was read at a higher one is to be replaced.
 */
public record Change(Subject subject, String key, long revision, boolean reset) {

    public Change(Subject subject, String key, long revision) {
        this(subject, key, revision, false);
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

    /** Whether the change concerns every key of its subject. */
    public boolean allKeys() {
        return key == null || key.isEmpty();
    }

    static Change everything(long revision) {
        return new Change(Subject.ALL, "", revision);
    }

    static Change reset(long revision) {
        return new Change(Subject.ALL, "", revision, true);
    }
}
