package io.rollgate.live;

import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.EventStream;
import io.rollgate.support.EventStream.Event;
import io.rollgate.support.TestIds;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The widget's configuration stream: on connect, on a change that concerns it, never for one that does not. */
@QuarkusTest
class WidgetStreamTest {

    private final List<EventStream> open = new ArrayList<>();

    @AfterEach
    void closeStreams() {
        open.forEach(EventStream::close);
    }

    private EventStream connect(String customer, String lastEventId) throws Exception {
        EventStream stream = EventStream.open(8081, "/api/widget/config/stream?customerId=" + customer, lastEventId);
        open.add(stream);
        return stream;
    }

    private static void override(String customer, boolean enhancedStorage, String reason) {
        Api.admin().body(body(phase2("enhancedStorage", enhancedStorage), reason))
                .put("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
    }

    @Test
    void theConfigurationComesOnConnectAndAgainOnlyWhenItChanges() throws Exception {
        String customer = TestIds.customer();
        EventStream events = connect(customer, null);
        Event first = events.next(Duration.ofSeconds(5));
        assertEquals("config", first.name());
        assertNotNull(first.id());
        assertTrue(first.data().contains("\"enhancedStorage\":false") && first.data().contains(customer), first.data());

        // another customer's change is not this stream's: the next event it gets is its own customer's change
        override(TestIds.customer(), true, "someone else");
        override(customer, true, "this customer");
        Event changed = events.next(Duration.ofSeconds(5));
        assertTrue(changed.data().contains("\"enhancedStorage\":true"), changed.data());
        assertTrue(!changed.id().equals(first.id()));

        // a change that leaves its configuration as it was sends nothing: the next event is the one after it
        Api.admin().body(body(phase2("retryLogic", false), "same value as inherited"))
                .patch("/api/admin/customers/{id}/flags", customer).then().statusCode(200);
        override(customer, false, "back");
        Event back = events.next(Duration.ofSeconds(5));
        assertTrue(back.data().contains("\"enhancedStorage\":false"), back.data());
    }

    @Test
    void theWidgetsNextRequestAfterAChangeGetsWhatItsStreamWasSent() throws Exception {
        String customer = TestIds.customer();
        EventStream events = connect(customer, null);
        events.next(Duration.ofSeconds(5));
        // asked for twice, the answer is kept; the change's fan-out leaves it in place, from older inputs
        for (int i = 0; i < 2; i++) {
            Api.anonymous().queryParam("customerId", customer).get("/api/widget/config").then().statusCode(200)
                    .body("sessionPersistence.phase2.enhancedStorage", equalTo(false));
        }
        override(customer, true, "this customer");
        Event changed = events.next(Duration.ofSeconds(5));
        assertTrue(changed.data().contains("\"enhancedStorage\":true"), changed.data());
        String tag = Api.anonymous().queryParam("customerId", customer).get("/api/widget/config").then()
                .statusCode(200).body("sessionPersistence.phase2.enhancedStorage", equalTo(true))
                .extract().header("ETag");
        assertTrue(tag.contains(changed.id()), tag + " against " + changed.id());
    }

    @Test
    void aReconnectWithTheLastEventIdGetsOnlyWhatItMissed() throws Exception {
        String customer = TestIds.customer();
        Event first = connect(customer, null).next(Duration.ofSeconds(5));

        // resuming with the id it has: nothing until something changes, then the change
        EventStream resumed = connect(customer, first.id());
        override(customer, true, "while resumed");
        Event next = resumed.next(Duration.ofSeconds(5));
        assertTrue(next.data().contains("\"enhancedStorage\":true"), "the first event is the change: " + next);

        // resuming with an id from before that change: the current configuration at once
        Event caughtUp = connect(customer, first.id()).next(Duration.ofSeconds(5));
        assertTrue(caughtUp.data().contains("\"enhancedStorage\":true"), caughtUp.data());
    }

    @Test
    void anIdleStreamGetsHeartbeatComments() throws Exception {
        EventStream events = connect(TestIds.customer(), null);
        events.next(Duration.ofSeconds(5));
        Event heartbeat = events.poll(Duration.ofSeconds(5)); // the test profile's heartbeat is 1 s
        assertNotNull(heartbeat, "a heartbeat within a few intervals");
        assertEquals("keep-alive", heartbeat.comment());
    }

    @Test
    void theStreamKeepsTheEdgesRules() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String path = "http://127.0.0.1:8081/api/widget/config/stream?customerId=" + TestIds.customer();
        // the head, with the caller's request id and the shop's origin allowed, comes before the first event
        HttpResponse<InputStream> opened = http.send(HttpRequest.newBuilder(URI.create(path))
                .header("X-Request-Id", "stream-edge-test").header("Origin", "https://shop.example.com").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = opened.body()) {
            assertEquals(200, opened.statusCode());
            assertEquals("text/event-stream", opened.headers().firstValue("Content-Type").orElse(""));
            assertEquals("stream-edge-test", opened.headers().firstValue("X-Request-Id").orElse(""));
            assertEquals("https://shop.example.com",
                    opened.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        }
        // another origin's page is not let read it, as on every public endpoint
        HttpResponse<InputStream> foreign = http.send(HttpRequest.newBuilder(URI.create(path))
                .header("Origin", "https://elsewhere.example.com").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = foreign.body()) {
            assertEquals(Optional.empty(), foreign.headers().firstValue("Access-Control-Allow-Origin"));
        }
        // a client that does not take an event stream, or another method: refused with a problem document
        HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(path))
                .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(406, json.statusCode(), json.body());
        assertTrue(json.body().contains("text/event-stream"), json.body());
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, posted.statusCode(), posted.body());
        assertEquals("GET", posted.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void badIdsAreRefusedBeforeAStreamOpens() throws Exception {
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:8081/api/widget/config/stream?customerId=not%20an%20id")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("customerId"), refused.body());
    }
}
