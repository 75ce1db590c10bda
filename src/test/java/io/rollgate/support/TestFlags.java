package io.rollgate.support;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Flags of a test's own, so rollout tests never share a flag: inserted into the catalog table (flag
 * management arrives with its own API later), then the snapshot is reloaded through the admin API.
 */
public final class TestFlags {

    private final List<String> created = new ArrayList<>();

    /** A new flag, off by default in every environment, with key {@code t.<random>}. */
    public String create() {
        String key = "t.f" + UUID.randomUUID().toString().replace("-", "");
        try {
            TestDatabase.update("INSERT INTO feature_flags (flag_key, description, flag_group) VALUES (?, ?, 'test')",
                    key, "created by a test");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        created.add(key);
        reload();
        return key;
    }

    /** Removes the flags (and, by cascade, their rollouts) this instance created. */
    public void deleteAll() {
        if (created.isEmpty()) {
            return;
        }
        try {
            for (String key : created) {
                TestDatabase.update("DELETE FROM feature_flags WHERE flag_key = ?", key);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        created.clear();
        reload();
    }

    private static void reload() {
        Api.admin().post("/api/admin/catalog/reload").then().statusCode(200);
    }
}
