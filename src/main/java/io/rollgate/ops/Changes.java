package io.rollgate.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Tells every replica what changed: a NOTIFY on the channel rollgate_changes, sent inside the change's
 * transaction so PostgreSQL delivers it only if (and when) the change commits.
 */
@ApplicationScoped
public class Changes {

    public static final String CHANNEL = "rollgate_changes";

    /** What kind of state changed; each replica knows what to reload for each. */
    public enum Kind { CATALOG, OVERRIDE, TOKENS, CANARY }

    /** This replica's id, so a listener can tell its own notifications apart. */
    private final String origin = UUID.randomUUID().toString();

    public String origin() {
        return origin;
    }

    public Uni<Void> publish(SqlConnection connection, Kind kind, String key) {
        JsonObject payload = new JsonObject().put("kind", kind.name()).put("origin", origin);
        if (key != null) {
            payload.put("key", key);
        }
        return connection.preparedQuery("SELECT pg_notify($1, $2)")
                .execute(Tuple.of(CHANNEL, payload.encode()))
                .replaceWithVoid();
    }
}
