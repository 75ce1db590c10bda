package io.rollgate.startup;

import io.rollgate.http.WarmUpRequests;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A replica the autoscaler adds under load gets its full share of traffic the moment it reports ready. Before
 * that, it sends itself widget config requests for a while (rollgate.startup.warm-up), over HTTP like the
 * widget, so the JIT has compiled the hot path and the customers' answers are rendered when real traffic
 * arrives.
 */
@ApplicationScoped
public class WarmUp {

    private static final Logger LOG = Logger.getLogger(WarmUp.class);
    private static final int IN_FLIGHT = 16;

    private final Vertx vertx;
    private final WarmUpRequests requests;
    private final Duration duration;
    private final AtomicBoolean started = new AtomicBoolean();
    private final int port;
    private volatile boolean done;

    public WarmUp(Vertx vertx, WarmUpRequests requests, StartupConfig config,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        this.vertx = vertx;
        this.port = port;
        this.requests = requests;
        this.duration = config.warmUp();
        this.done = duration.isZero();
    }

    /** True once the warm-up ran (or there was none to run): part of readiness. */
    boolean isDone() {
        return done;
    }

    /**
     * Warms up on a thread of its own, once: the customers named are the ones whose answers are rendered first.
     */
    void start(List<String> customers) {
        if (done || !started.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(() -> {
            try {
                run(customers.isEmpty() ? List.of("warm-up") : customers);
            } catch (RuntimeException | InterruptedException e) {
                LOG.warnf("Warm-up cut short: %s", e.getMessage());
            } finally {
                done = true;
            }
        }, "rollgate-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(List<String> customers) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
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
        long start = System.nanoTime();
        for (int i = 0; i < IN_FLIGHT; i++) {
            next(client, customers, sent, failed, deadline, finished);
        }
        finished.await(duration.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        client.close();
        LOG.infof("Warmed up: %d widget config requests in %d ms (%d failed)", sent.get(),
                (System.nanoTime() - start) / 1_000_000, failed.get());
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void next(HttpClient client, List<String> customers, AtomicLong sent, AtomicLong failed, long deadline,
            CountDownLatch finished) {
        if (System.nanoTime() >= deadline) {
            finished.countDown();
            return;
        }
        String customer = customers.get((int) (sent.getAndIncrement() % customers.size()));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setURI("/api/widget/config?customerId=" + customer)
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
                    next(client, customers, sent, failed, deadline, finished);
                });
    }
}
