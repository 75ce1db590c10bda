package io.rollgate.live;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.rollgate.support.Api;
import io.rollgate.support.EventStream;
import io.rollgate.support.TestDatabase;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** OFREP event streams (ADR-0008), as the OFREP documents in src/test/resources/conformance/ofrep describe them. */
@QuarkusTest
class OfrepEventStreamTest {

    private static Response bulk(String targetingKey, String ifNoneMatch, Map<String, String> query) {
        var request = given().contentType("application/json").queryParams(query)
                .body("{\"context\": {\"targetingKey\": \"" + targetingKey + "\"}}");
        if (ifNoneMatch != null) {
            request = request.header("If-None-Match", ifNoneMatch);
        }
        return request.post("/ofrep/v1/evaluate/flags");
    }

    private static boolean valueOf(Response bulk, String flag) {
        return bulk.jsonPath().getBoolean("flags.find { it.key == '" + flag + "' }.value");
    }

    @Test
    void theBulkEvaluationNamesTheStreamAndTheStreamAnnouncesAChangeToRefetch() throws Exception {
        String flag = "ofrep-live-" + UUID.randomUUID();
        Api.admin().body(Map.of("name", flag, "enabled", true, "defaultValue", true, "reason", "OFREP stream test"))
                .post("/api/admin/flags").then().statusCode(201);
        try {
            Response before = bulk("user-1", null, Map.of());
            before.then().statusCode(200)
                    .body("eventStreams[0].type", equalTo("sse"))
                    .body("eventStreams[0].url", endsWith("/ofrep/v1/event-stream"))
                    .body("eventStreams[0].inactivityDelaySec", equalTo(120));
            assertTrue(valueOf(before, flag));
            String etag = before.header("ETag");

            try (EventStream stream = EventStream.open(8081, "/ofrep/v1/event-stream", null)) {
                Api.admin().body(Map.of("global", true, "featureName", flag, "enabled", false, "reason", "kill"))
                        .post("/api/admin/feature-flags").then().statusCode(200);
                EventStream.Event event = stream.next(Duration.ofSeconds(5));
                assertEquals("message", event.name());
                JsonPath data = JsonPath.from(event.data());
                assertEquals("refetchEvaluation", data.getString("type"));
                String flagConfigEtag = data.getString("etag");
                assertEquals(event.id(), flagConfigEtag);
                assertTrue(data.getLong("lastModified") > 1_700_000_000L, event.data());

                // the re-fetch the event triggers, as the provider sends it: the change is there, with a new tag
                Response after = bulk("user-1", etag, Map.of("flagConfigEtag", flagConfigEtag,
                        "flagConfigLastModified", data.getString("lastModified")));
                after.then().statusCode(200);
                assertTrue(!valueOf(after, flag), "the killed flag is off after the refetch");
                assertNotEquals(etag, after.header("ETag"));
                // and nothing changed since: 304
                bulk("user-1", after.header("ETag"), Map.of("flagConfigEtag", flagConfigEtag)).then().statusCode(304);
            }
        } finally {
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
        }
    }

    @Test
    void theBulkTagCoversTheContextSoAnotherContextNeverGetsA304() {
        // two targeting keys with the same results: each has its own tag
        Response one = bulk("same-results-1", null, Map.of());
        Response two = bulk("same-results-2", null, Map.of());
        assertEquals(one.jsonPath().getList("flags.value"), two.jsonPath().getList("flags.value"));
        assertNotEquals(one.header("ETag"), two.header("ETag"));
        bulk("same-results-2", one.header("ETag"), Map.of()).then().statusCode(200);
        bulk("same-results-1", one.header("ETag"), Map.of()).then().statusCode(304);
    }

    @Test
    void aRefetchForARevisionNotInstalledHereIsRefusedNotAnsweredWithOlderValues() {
        // a revision announced elsewhere that this replica has not installed (here: one no one has reached yet)
        long ahead = ((Number) TestDatabase.query("SELECT revision FROM change_revision").get(0).get("revision"))
                .longValue() + 1000;
        Response refused = bulk("user-1", null, Map.of("flagConfigEtag", String.valueOf(ahead)));
        refused.then().statusCode(503).header("Retry-After", "1").body("errorCode", equalTo("GENERAL"));
        assertTrue(refused.header("ETag") == null, "no tag for values that are not the ones asked for");
    }

    @Test
    void aMalformedFlagConfigLastModifiedIsAParseError() {
        bulk("user-1", null, Map.of("flagConfigLastModified", "yesterday")).then().statusCode(400)
                .body("errorCode", equalTo("PARSE_ERROR"));
        bulk("user-1", null, Map.of("flagConfigLastModified", "2026-12-02T07:00:00Z")).then().statusCode(200);
    }
}
