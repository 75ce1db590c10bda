package io.rollgate.ops;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * LISTENs on rollgate_changes over a dedicated connection (a pooled one cannot hold a LISTEN) and fires
 * each notification as a {@link ChangeEvent} for the features to apply. When the connection drops it
 * reconnects with backoff and fires a full resync, so nothing changed in the meantime is missed.
 */
@ApplicationScoped
public class ChangeListener {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** A change to apply; {@code kind} null means "resync everything". */
    public record ChangeEvent(Changes.Kind kind, String key, boolean ownChange) {
    }

    private final Vertx vertx;
    private final Event<ChangeEvent> events;
    private final Changes changes;
    private final Optional<String> url;
    private final Optional<String> username;
    private final Optional<String> password;
    private volatile PgConnection connection;
    private volatile boolean stopping;
    private volatile boolean listening;

    public ChangeListener(Vertx vertx, Event<ChangeEvent> events, Changes changes,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") Optional<String> url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.events = events;
        this.changes = changes;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    public boolean isListening() {
        return listening;
    }

    void onStart(@Observes StartupEvent event) {
        if (url.isPresent()) {
            connect(Duration.ofMillis(250), false);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        PgConnection current = connection;
        if (current != null) {
            current.closeAndForget();
        }
    }

    private void connect(Duration backoff, boolean resync) {
        if (stopping) {
            return;
        }
        PgConnectOptions options = PgConnectOptions.fromUri(url.get());
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        PgConnection.connect(vertx, options)
                .chain(pg -> pg.query("LISTEN " + Changes.CHANNEL).execute().replaceWith(pg))
                .subscribe().with(pg -> {
                    connection = pg;
                    listening = true;
                    pg.notificationHandler(notification -> apply(notification.getPayload()));
                    pg.closeHandler(() -> {
                        listening = false;
                        if (!stopping) {
                            LOG.warn("Lost the LISTEN connection; reconnecting");
                            connect(Duration.ofMillis(250), true);
                        }
                    });
                    LOG.debugf("Listening on %s", Changes.CHANNEL);
                    if (resync) {
                        LOG.info("LISTEN connection back: reloading everything that may have changed meanwhile");
                        events.fireAsync(new ChangeEvent(null, null, false));
                    }
                }, failure -> {
                    Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
                    vertx.setTimer(backoff.toMillis(), id -> connect(next, true));
                });
    }

    private void apply(String payload) {
        try {
            JsonObject json = new JsonObject(payload);
            Changes.Kind kind = Changes.Kind.valueOf(json.getString("kind"));
            events.fireAsync(new ChangeEvent(kind, json.getString("key"),
                    changes.origin().equals(json.getString("origin"))));
        } catch (RuntimeException e) {
            LOG.warnf("Ignoring a malformed change notification (%s)", e.getMessage());
        }
    }
}
