package io.rollgate.startup;

import io.quarkus.runtime.ImageMode;
import io.rollgate.evaluation.WidgetConfigService;
import io.rollgate.http.WarmUpRequests;
import io.rollgate.overrides.OverrideCache;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A replica the autoscaler adds under load gets its full share of traffic the moment it reports ready. Before
 * that, it sends itself widget config requests shaped like the widget's (customers with and without a document
 * of their own, in organizations that have one), over HTTP, until the JIT has compiled what they run: on one
 * core that takes the compiler most of the first fifteen seconds, and a replica that reported ready earlier
 * spent its first seconds of traffic compiling. rollgate.startup.warm-up bounds the wait.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    private static final int IN_FLIGHT = 16;
    /** The JIT has settled once it compiled for less than a tenth of the last three seconds. */
    private static final Duration SETTLE_WINDOW = Duration.ofSeconds(3);
    private static final double SETTLED_SHARE = 0.10;
    /** Compile time is read this often; a window is spanned by one reading more than it has steps. */
    private static final Duration READING_EVERY = Duration.ofSeconds(1);
    private static final int READINGS = (int) (SETTLE_WINDOW.toMillis() / READING_EVERY.toMillis()) + 1;
    /**
     * Customer ids no one uses, for the answers of customers without a document of their own: enough renders for
     * the JIT to compile rendering, few enough that the answers kept for them take a few megabytes.
     */
    private static final String UNKNOWN_CUSTOMER = "rollgate-warm-up-";
    private static final int UNKNOWN_CUSTOMERS = 10_000;
    /** Rehearsals of a change and its fan-out, one a second from the start of the warm-up. */
    private static final int REHEARSALS = 20;

    private final Vertx vertx;
    private final WarmUpRequests requests;
    private final WidgetConfigService widgetConfigs;
    private final OverrideCache overrides;
    private final ChangeRehearsal rehearsal;
    private final FanOutRehearsal fanOut;
    private final Duration duration;
    private final boolean rehearseChanges;
    private final AtomicBoolean started = new AtomicBoolean();
    private final int port;
    private volatile boolean done;
    private volatile long deadline;

    public WarmUp(Vertx vertx, WarmUpRequests requests, StartupConfig config, WidgetConfigService widgetConfigs,
            OverrideCache overrides, ChangeRehearsal rehearsal, FanOutRehearsal fanOut,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        this.vertx = vertx;
        this.rehearsal = rehearsal;
        this.fanOut = fanOut;
        this.widgetConfigs = widgetConfigs;
        this.overrides = overrides;
        this.port = port;
        this.requests = requests;
        // a native executable was compiled ahead of time: it has no JIT to wait for, and serves at full speed from
        // its first request, so it reports ready without sending itself anything
        boolean nativeImage = ImageMode.current() == ImageMode.NATIVE_RUN;
        this.duration = nativeImage ? Duration.ZERO : config.warmUp();
        this.rehearseChanges = config.rehearseChanges();
        this.done = duration.isZero();
        if (nativeImage && !config.warmUp().isZero()) {
            LOG.info("Native executable: no warm-up (nothing to compile)");
        }
    }

    /** True once the warm-up ran (or there was none to run): part of readiness. */
    boolean isDone() {
        return done;
    }

    /**
     * Warms up on a thread of its own, once: the customers and organizations named are the ones whose answers
     * are rendered first.
     */
    void start(List<String> customers, List<String> organizations) {
        if (done || !started.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                run(uris(customers, organizations));
            } catch (RuntimeException | InterruptedException e) {
                LOG.warnf("Warm-up cut short: %s", e.getMessage());
            } finally {
                done = true;
            }
        }, "rollgate-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Every other request a customer without a document, as most widget loads are, each asked for once: a cold
     * replica mostly renders answers, so rendering is what has to be compiled. Organizations in turn.
     */
    static List<String> uris(List<String> customers, List<String> organizations) {
        List<String> uris = new ArrayList<>(2 * UNKNOWN_CUSTOMERS);
        for (int i = 0; i < 2 * UNKNOWN_CUSTOMERS; i++) {
            String customer = i % 2 == 1 && !customers.isEmpty()
                    ? customers.get(i / 2 % customers.size())
                    : UNKNOWN_CUSTOMER + (i / 2);
            String uri = "/api/widget/config?customerId=" + customer;
            if (!organizations.isEmpty()) {
                uri += "&organizationId=" + organizations.get(i % organizations.size());
            }
            uris.add(uri);
        }
        return uris;
    }

    private void run(List<String> uris) throws InterruptedException {
        long start = System.nanoTime();
        deadline = start + duration.toNanos();
        while (!listening()) {
            if (System.nanoTime() >= deadline) {
                return;
            }
            Thread.sleep(20); // startup runs before the HTTP server takes connections
        }
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                .setDefaultPort(port).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            next(client, uris, sent, failed, finished);
        }
        String ended;
        Rehearsals rehearsals = new Rehearsals();
        if (rehearseChanges) {
            try (FanOutRehearsal.Streams streams = fanOut.open(port, UNKNOWN_CUSTOMER + "stream-")) {
                ended = untilSettled(finished, uris.size(), sent, () -> rehearsals.once(streams));
                rehearsals.fanOuts = streams.said();
            }
        } else {
            ended = untilSettled(finished, uris.size(), sent, () -> {
            });
            rehearsals.lastChange = "no change rehearsed (rollgate.startup.rehearse-changes)";
        }
        finished.await(10, TimeUnit.SECONDS);
        client.close();
        // the made-up customers' answers (and, past the preload bound, their empty documents) would only take room
        // that real customers' answers need
        // (the rehearsal's streams' customers among them: their ids start alike)
        widgetConfigs.forgetCustomers(UNKNOWN_CUSTOMER);
        overrides.forgetCustomers(UNKNOWN_CUSTOMER).await().atMost(Duration.ofSeconds(10));
        LOG.infof("Warmed up: %d widget config requests in %d ms (%d failed); %s; %s", sent.get(),
                (System.nanoTime() - start) / 1_000_000, failed.get(), ended, rehearsals);
    }

    /**
     * A change and its fan-out rehearsed once a second among the widget requests, so that what the JIT compiles
     * for the one does not assume the others never come (a first change used to throw away code compiled for the
     * widget's requests, and wait while it was compiled again). Only in the first twenty seconds, while the JIT
     * profiles: rehearsing to the end kept it compiling a little more each second, and it never settled before the
     * bound (ten were not always enough for the first change to reach 10,000 streams within a second).
     */
    private final class Rehearsals {
        int tried;
        int changes;
        String lastChange = "no change rehearsed";
        String fanOuts = "no fan-out rehearsed";

        void once(FanOutRehearsal.Streams streams) throws InterruptedException {
            if (tried++ >= REHEARSALS) {
                return;
            }
            ChangeRehearsal.Rehearsed change = rehearsal.run(port);
            lastChange = change.said();
            if (change.done()) {
                changes++;
            }
            streams.round();
        }

        @Override
        public String toString() {
            return changes + " changes rehearsed (the last: " + lastChange + "); " + fanOuts;
        }
    }

    /** One step of rehearsing, taken between two readings of the compile time. */
    private interface Step {
        void run() throws InterruptedException;
    }

    /**
     * Waits until the JIT settles or the time is up; on a JVM that does not report its compile time, until every
     * answer was asked for once. Ends the requests by moving the deadline, and says why they ended.
     */
    private String untilSettled(CountDownLatch finished, int distinct, AtomicLong sent, Step rehearse)
            throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watched = jit != null && jit.isCompilationTimeMonitoringSupported();
        ArrayDeque<Long> compiled = new ArrayDeque<>();
        while (true) {
            long reading = System.nanoTime() + READING_EVERY.toNanos();
            rehearse.run();
            if (finished.await(Math.max(0, reading - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            if (!watched) {
                if (sent.get() >= distinct) {
                    deadline = System.nanoTime();
                    return "every answer asked for once";
                }
                continue;
            }
            compiled.addLast(jit.getTotalCompilationTime());
            if (compiled.size() > READINGS) {
                compiled.removeFirst();
            }
            if (settled(compiled)) {
                deadline = System.nanoTime();
                return "the JIT settled (" + (compiled.getLast() - compiled.getFirst()) + " ms compiling in the last "
                        + SETTLE_WINDOW.toMillis() + " ms)";
            }
        }
        return "the time was up (rollgate.startup.warm-up)";
    }

    /**
     * Whether the JIT has settled, from its accumulated compile times (ms) read once a second, oldest first:
     * three seconds of readings, and less than a tenth of them spent compiling.
     */
    static boolean settled(ArrayDeque<Long> compiled) {
        return compiled.size() == READINGS
                && compiled.getLast() - compiled.getFirst() < SETTLED_SHARE * SETTLE_WINDOW.toMillis();
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void next(HttpClient client, List<String> uris, AtomicLong sent, AtomicLong failed,
            CountDownLatch finished) {
        if (System.nanoTime() >= deadline) {
            finished.countDown();
            return;
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setURI(uris.get((int) (sent.getAndIncrement() % uris.size())))
                .putHeader(WarmUpRequests.HEADER, requests.secret());
        client.request(options)
                .compose(request -> request.send().compose(response -> {
                    if (response.statusCode() != 200) {
                        failed.incrementAndGet();
                    }
                    return response.body();
                }))
                .onComplete(result -> {
                    if (result.failed()) {
                        failed.incrementAndGet();
                    }
                    next(client, uris, sent, failed, finished);
                });
    }
}
