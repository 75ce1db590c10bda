package io.rollgate.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.Await;
import io.rollgate.support.EventStream;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestIds;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replica holds a bounded number of streams; beyond it, clients are told to come back and poll meanwhile. */
@QuarkusTest
@TestProfile(StreamLimitTest.TwoStreams.class)
class StreamLimitTest {

    public static class TwoStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollgate.live.max-streams", "2");
        }
    }

    private static HttpResponse<String> third() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:8081/api/widget/config/stream?customerId=" + TestIds.customer()))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void beyondTheMaximumAStreamIs503WithRetryAfterAndAClosedOneMakesRoom() throws Exception {
        EventStream first = EventStream.open(8081, "/api/widget/config/stream?customerId=" + TestIds.customer(), null);
        try (EventStream second = EventStream.open(8081,
                "/api/widget/config/stream?customerId=" + TestIds.customer(), null)) {
            first.next(Duration.ofSeconds(5));
            second.next(Duration.ofSeconds(5));
            assertEquals(2.0, Metrics.value("rollgate_live_streams", ""));

            HttpResponse<String> refused = third();
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
            assertTrue(refused.body().contains("poll"), refused.body());

            // the first client goes away: the replica hears its connection close and takes a new stream
            first.close();
            Await.until(Duration.ofSeconds(10), () -> Metrics.value("rollgate_live_streams", "") <= 1.0,
                    "the replica to notice the closed stream");
            try (EventStream again = EventStream.open(8081,
                    "/api/widget/config/stream?customerId=" + TestIds.customer(), null)) {
                assertTrue(again.next(Duration.ofSeconds(5)).data().contains("sessionPersistence"));
            }
        }
    }
}
