package io.rollgate.startup;

import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.http.WarmUpRequests;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * The first change a replica makes loads some two thousand classes (the request's reading, Hibernate Reactive's
 * flush, the admin services) and compiles what they run; classes loaded that late also throw away code compiled
 * for the widget's requests, which the streams' fan-out then compiles again. Open streams waited over a second longer
 * for the first change after a deploy than for later ones. So a starting replica rehearses changes among its
 * widget warm-up: a global kill switch of one flag, sent to itself over HTTP as an operator sends it, run to its end
 * and rolled back (its secret is a token for nothing else; see {@link WarmUpRequests#rehearsal}).
 */
@ApplicationScoped
public class ChangeRehearsal {

    private static final Logger LOG = Logger.getLogger(ChangeRehearsal.class);
    static final String REASON = "a rehearsal before ready, rolled back";
    /** A rehearsal gives way within a moment to a real change holding its flag; this bounds the whole call. */
    private static final long ANSWER_SECONDS = 30;

    /** Whether a change was rehearsed to its end, and what to say of it. */
    record Rehearsed(boolean done, String said) {
    }

    private final Vertx vertx;
    private final WarmUpRequests requests;
    private final CatalogService catalogs;

    public ChangeRehearsal(Vertx vertx, WarmUpRequests requests, CatalogService catalogs) {
        this.vertx = vertx;
        this.requests = requests;
        this.catalogs = catalogs;
    }

    /**
     * Rehearses against this replica's HTTP {@code port} on the calling thread, which it blocks (the warm-up's own,
     * never an event loop); says what it did. A rehearsal that fails (a real change holds the flag, the database is
     * read-only or down) only leaves the write path cold: the warm-up's summary says so once, rather than a warning
     * a second.
     */
    Rehearsed run(int port) throws InterruptedException {
        Optional<FlagDefinition> flag = catalogs.snapshot().flags().stream().findFirst();
        if (flag.isEmpty()) {
            return new Rehearsed(false, "no change rehearsed (no flag)");
        }
        FlagDefinition target = flag.get();
        String body = new JsonObject().put("global", true).put("featureName", target.key())
                .put("enabled", !target.enabled()).put("reason", REASON).encode();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(WarmUpRequests.REHEARSED_PATH).putHeader("Content-Type", "application/json")
                .putHeader(WarmUpRequests.HEADER, requests.secret())
                .putHeader("Authorization", "Bearer " + requests.secret());
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        long start = System.nanoTime();
        try {
            int[] status = new int[1];
            Buffer answer = client.request(options)
                    .compose(request -> request.send(body))
                    .compose(response -> {
                        status[0] = response.statusCode();
                        return response.body();
                    })
                    .toCompletionStage().toCompletableFuture().get(ANSWER_SECONDS, TimeUnit.SECONDS);
            if (status[0] != 200) {
                LOG.debugf("The change rehearsal was refused: %d %s", status[0], answer);
                return new Rehearsed(false, "no change rehearsed (" + status[0] + ")");
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.debugf("The change rehearsal failed: %s", e.toString());
            return new Rehearsed(false, "no change rehearsed (" + e.getClass().getSimpleName() + ")");
        } finally {
            client.close();
        }
        return new Rehearsed(true, "a kill switch of " + target.key() + " rehearsed and rolled back in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }
}
