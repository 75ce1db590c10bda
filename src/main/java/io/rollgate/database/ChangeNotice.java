package io.rollgate.database;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One transaction's notice, as the change-capture migration sends it when the transaction commits: its revision
 * and, when they fit in a notice, its keys by subject. A truncated notice names how many keys each subject has, not
 * which; they are read from the change log.
 */
record ChangeNotice(long revision, boolean truncated, List<Change> changes) {

    /** The notice in {@code payload}; fails on one that is not JSON or names no revision. */
    static ChangeNotice parse(String payload) {
        JsonObject json = new JsonObject(payload);
        long revision = json.getLong("revision");
        JsonObject named = json.getJsonObject("changes");
        if (json.getBoolean("truncated", false) || named == null) {
            return new ChangeNotice(revision, true, List.of());
        }
        List<Change> changes = new ArrayList<>();
        for (String name : named.fieldNames()) {
            Change.Subject subject = Change.Subject.fromDatabase(name);
            if (subject != null) {
                Set<String> keys = new HashSet<>();
                named.getJsonArray(name).forEach(key -> keys.add(String.valueOf(key)));
                changes.add(new Change(subject, keys, revision));
            }
        }
        return new ChangeNotice(revision, false, changes);
    }
}
