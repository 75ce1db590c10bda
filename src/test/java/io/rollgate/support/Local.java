package io.rollgate.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain requests to a service process a test started itself on loopback (not the one Quarkus test runs). */
public final class Local {

    public static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Local() {
    }

    /** Waits until the service started as {@code process} reports ready on its management port. */
    public static void awaitReady(Process process, int managementPort) throws InterruptedException {
        Await.until(Duration.ofSeconds(60), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the service stopped before it became ready");
            }
            return status(managementPort, "/q/health/ready") == 200;
        }, "the service to become ready");
    }

    /** The status of a GET, or 0 when nothing answered (not listening yet, or gone). */
    public static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }
}
