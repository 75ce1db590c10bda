package io.rollgate.flags.hygiene;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Events;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Unused" means no client asked for the flag: a bulk answer delivers every flag and says nothing of which ones the
 * client uses, so it does not count; a single evaluation does, and so does a flag reported in a widget's events.
 */
@QuarkusTest
class FlagUsageTest {

    private final List<String> created = new java.util.ArrayList<>();

    @AfterEach
    void deleteFlags() {
        created.forEach(flag -> Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag));
    }

    private String flag() {
        String name = "usage-" + UUID.randomUUID();
        Api.admin().body(Map.of("name", name, "reason", "usage")).post("/api/admin/flags").then().statusCode(201);
        created.add(name);
        return name;
    }

    private static Object lastEvaluated(String flag) {
        return Api.viewer().get("/api/admin/flags/{n}", flag).then().statusCode(200).extract().path("lastEvaluatedAt");
    }

    @Test
    void bulkAnswersDoNotCountAsUseButSingleEvaluationsAndReportedEventsDo() throws Exception {
        String delivered = flag();
        String asked = flag();
        // delivered in every widget answer and OFREP bulk evaluation: not asked for by name
        for (int i = 0; i < 5; i++) {
            given().queryParam("customerId", "usage-" + i).get("/api/widget/config").then().statusCode(200);
        }
        given().contentType("application/json").body(Map.of("context", Map.of("targetingKey", "usage-1")))
                .post("/ofrep/v1/evaluate/flags").then().statusCode(200);
        // asked for by name: recorded at the next write, which also had the bulk answers to record
        given().contentType("application/json").body(Map.of("context", Map.of("targetingKey", "usage-1")))
                .post("/ofrep/v1/evaluate/flags/{key}", asked).then().statusCode(200);
        Await.until(Duration.ofSeconds(10), () -> lastEvaluated(asked) != null, "the single evaluation recorded");
        assertNull(lastEvaluated(delivered), "a flag only delivered in bulk answers was not used");

        // a widget reports using it in its events: now it is
        Events.send(Events.outcomes(delivered, 1, 0));
        Await.until(Duration.ofSeconds(10), () -> lastEvaluated(delivered) != null, "the reported use recorded");
    }
}
