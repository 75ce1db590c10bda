package io.rollgate.startup;

import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.evaluation.EvaluationService;
import io.rollgate.http.WarmUpRequests;
import io.rollgate.live.WidgetStreams;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A change reaches open streams through a path no widget request runs: every concerned stream group rendered again
 * in chunks, and an event written to each of its streams. Compiled during the first real change after a deploy,
 * that path kept ten thousand streams waiting twice as long as for later changes. So a starting replica opens
 * streams to itself, over HTTP as the widget does, and has a change sent to them, a round at a time among its widget
 * requests, until the JIT has settled with all of them. Every other round a flag's kill switch turns, in a catalog
 * only those streams' customers are answered from: the configuration is the same one every time only when nothing
 * changed, and code compiled for that (no flag ever off, every kept answer up to date) was thrown away and compiled
 * again during the first real change, while ten thousand streams waited. The rounds between are a change of those
 * streams' documents, which reads them again in batches.
 */
@ApplicationScoped
public class FanOutRehearsal {

    static final int STREAMS = 500;
    /** How long a round may take before the rehearsal gives up: a few hundred events take milliseconds. */
    private static final long ROUND_SECONDS = 10;

    private final Vertx vertx;
    private final WarmUpRequests requests;
    private final WidgetStreams streams;
    private final CatalogService catalogs;
    private final EvaluationService evaluations;

    public FanOutRehearsal(Vertx vertx, WarmUpRequests requests, WidgetStreams streams, CatalogService catalogs,
            EvaluationService evaluations) {
        this.vertx = vertx;
        this.requests = requests;
        this.streams = streams;
        this.catalogs = catalogs;
        this.evaluations = evaluations;
    }

    /**
     * Opens the rehearsal's streams against this replica's HTTP {@code port}, for customer ids no one uses that
     * start with {@code customers} (the answers rendered for them are the caller's to drop), blocking the calling
     * thread (the warm-up's own) until each has its configuration.
     */
    Streams open(int port, String customers) throws InterruptedException {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port).setKeepAlive(false), new PoolOptions().setHttp1MaxSize(STREAMS));
        Streams opened = new Streams(client, customers);
        for (int i = 0; i < STREAMS; i++) {
            opened.open(customers + i);
        }
        opened.open = opened.awaitRound("their first configuration");
        return opened;
    }

    /** The rehearsal's streams, open until closed. */
    final class Streams implements AutoCloseable {
        private final HttpClient client;
        private final String customers;
        /**
         * Each stream counts down on the round's latch at its first event of the round: a round is over when every
         * stream has one (a stream sent a render from last known good data has the fresh one too, a second later).
         */
        private final AtomicReference<Round> round = new AtomicReference<>(new Round(0));
        private final AtomicInteger refused = new AtomicInteger();
        private final AtomicReference<String> failure = new AtomicReference<>();
        private boolean open;
        private int rounds;
        /** Why the rehearsal stopped early, or null. */
        private String stopped;

        private Streams(HttpClient client, String customers) {
            this.client = client;
            this.customers = customers;
        }

        /** One change rehearsed on every stream: true once each has its event, false if they did not come. */
        boolean round() throws InterruptedException {
            if (!open) {
                return false;
            }
            round.set(new Round(rounds + 1));
            // a flag change and a change of the streams' documents in turn: each has paths the other does not run
            boolean documents = rounds % 2 == 1;
            // a new catalog of theirs every round: every answer kept for them is from older inputs, as after any
            // real change
            evaluations.rehearse(customers, rehearsedCatalog(rounds / 2 % 2 == 0));
            if (documents) {
                streams.rehearseDocumentChange(customers);
            } else {
                streams.rehearseChange(customers);
            }
            if (!awaitRound("the event of round " + (rounds + 1))) {
                open = false;
                return false;
            }
            rounds++;
            return true;
        }

        /**
         * The catalog with its first flag's kill switch turned, or as it is when not {@code turned}: a new snapshot
         * either way, as every change makes one (an empty catalog has nothing to change).
         */
        private Catalog rehearsedCatalog(boolean turned) {
            Catalog real = catalogs.snapshot();
            FlagDefinition first = real.flags().stream().findFirst().orElse(null);
            return first == null ? real : real.with(first.withEnabled(first.enabled() != turned));
        }

        /** What was rehearsed. */
        String said() {
            // rounds alternate, starting with a flag change, and the first one missed ends them
            return rounds + " fan-outs to " + STREAMS + " streams rehearsed (" + rounds / 2
                    + " of a change of their documents)" + (stopped == null ? "" : "; stopped: " + stopped);
        }

        /** Waits for every stream's event of this round; says, when they do not all come, how many did and why. */
        private boolean awaitRound(String what) throws InterruptedException {
            CountDownLatch latch = round.get().latch;
            if (latch.await(ROUND_SECONDS, TimeUnit.SECONDS)) {
                return true;
            }
            String failed = failure.get();
            stopped = (STREAMS - latch.getCount()) + " of " + STREAMS + " streams had " + what + " within "
                    + ROUND_SECONDS + " s (" + refused.get() + " refused"
                    + (failed == null ? "" : "; a stream failed: " + failed) + ")";
            return false;
        }

        /**
         * The customer's configuration asked for, then its stream opened, as a widget's page load does: the stream's
         * first render is the second ask, which keeps the answer, and each round finds it kept from older inputs.
         */
        private void open(String customer) {
            RequestOptions asked = new RequestOptions().setMethod(HttpMethod.GET)
                    .setURI("/api/widget/config?customerId=" + customer)
                    .putHeader(WarmUpRequests.HEADER, requests.secret());
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                    .setURI("/api/widget/config/stream?customerId=" + customer)
                    .putHeader("Accept", "text/event-stream")
                    .putHeader(WarmUpRequests.HEADER, requests.secret());
            AtomicInteger counted = new AtomicInteger(-1);
            client.request(asked).compose(request -> request.send()).compose(answer -> answer.body())
                    .compose(ignored -> client.request(options)).compose(request -> request.send())
                    .onSuccess(response -> {
                        if (response.statusCode() != 200) {
                            refused.incrementAndGet();
                        }
                        response.exceptionHandler(e -> failure.set(e.toString()));
                        response.handler(RecordParser.newDelimited("\n\n", event -> {
                            Round current = round.get();
                            if (event.toString().contains("data:") // not a heartbeat
                                    && counted.getAndSet(current.number) != current.number) {
                                current.latch.countDown();
                            }
                        }));
                    }).onFailure(e -> failure.set(e.toString()));
        }

        private record Round(int number, CountDownLatch latch) {
            Round(int number) {
                this(number, new CountDownLatch(STREAMS));
            }
        }

        @Override
        public void close() {
            evaluations.endRehearsal();
            streams.closeCustomers(customers);
            client.close();
        }
    }
}
