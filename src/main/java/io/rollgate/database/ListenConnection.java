package io.rollgate.database;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The connection a replica hears change notices on: the SQL client's own, outside the pool and Hibernate (a pooled
 * connection cannot hold a LISTEN), opened again with a growing backoff whenever it is lost, until the process stops.
 */
final class ListenConnection {

    private static final Logger LOG = Logger.getLogger(ListenConnection.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final Pool pool;
    private final PoolCreator pools;
    private final Optional<String> url;
    private final String channel;
    private final Consumer<String> notices;
    private final Runnable opened;
    private volatile PgConnection connection;
    private volatile boolean stopping;
    private volatile boolean listening;
    /** Completed when LISTEN is first open, for the start-up reads to wait on. */
    private final CompletableFuture<Void> firstListen = new CompletableFuture<>();

    /**
     * {@code notices} gets each notice's payload; {@code opened} runs each time LISTEN is open again, for what
     * committed while there was no connection.
     */
    ListenConnection(Vertx vertx, Pool pool, PoolCreator pools, Optional<String> url, String channel,
            Consumer<String> notices,
            Runnable opened) {
        this.vertx = vertx;
        this.pool = pool;
        this.pools = pools;
        this.url = url;
        this.channel = channel;
        this.notices = notices;
        this.opened = opened;
    }

    boolean isListening() {
        return listening;
    }

    /** Waits until LISTEN is first open or {@code bound} has passed; whether it is open. */
    boolean awaitListening(Duration bound) {
        try {
            firstListen.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return listening;
    }

    void open() {
        connect(Duration.ofMillis(250));
    }

    /** Closes a connection that looks open but has stopped hearing: another is opened in its place. */
    void reopen() {
        PgConnection open = connection;
        if (open != null) {
            open.closeAndForget();
        }
    }

    void close() {
        stopping = true;
        PgConnection current = connection;
        if (current != null) {
            current.closeAndForget();
        }
    }

    private void connect(Duration backoff) {
        if (stopping) {
            return;
        }
        // the pool's own options (host, TLS, credentials, session settings); asking the pool for its delegate makes it
        // if nothing has yet
        pool.getDelegate();
        PgConnection.connect(vertx, pools.listenOptions(url))
                .chain(pg -> pg.query("LISTEN " + channel).execute().replaceWith(pg))
                .subscribe().with(pg -> {
                    if (stopping) {
                        // Vert.x's own close: Mutiny's would reach for a container that is gone
                        pg.getDelegate().close();
                        return;
                    }
                    connection = pg;
                    listening = true;
                    firstListen.complete(null);
                    pg.notificationHandler(notification -> notices.accept(notification.getPayload()));
                    pg.closeHandler(() -> {
                        listening = false;
                        if (!stopping) {
                            LOG.warn("Lost the LISTEN connection; reconnecting");
                            connect(Duration.ofMillis(250));
                        }
                    });
                    LOG.debugf("Listening on %s", channel);
                    opened.run();
                }, failure -> {
                    Duration next = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                            ? MAX_BACKOFF
                            : backoff.multipliedBy(2);
                    vertx.setTimer(backoff.toMillis(), id -> connect(next));
                });
    }
}
