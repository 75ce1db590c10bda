package io.rollgate.overrides;

import static io.restassured.RestAssured.given;
import static io.rollgate.support.Overrides.body;
import static io.rollgate.support.Overrides.phase2;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Metrics;
import io.rollgate.support.TestIds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OverrideCacheTest {

    private static final String LOADS = "rollgate_override_loads_total";

    @Test
    void aWarmRequestMakesNoDatabaseQuery() {
        String customer = TestIds.customer();
        String organization = TestIds.organization();
        double before = Metrics.value(LOADS, "");
        widgetConfig(customer, organization);
        assertEquals(2.0, Metrics.value(LOADS, "") - before, "a cold request loads the customer and the organization");

        double warm = Metrics.value(LOADS, "");
        for (int i = 0; i < 5; i++) {
            widgetConfig(customer, organization);
        }
        assertEquals(0.0, Metrics.value(LOADS, "") - warm, "warm requests are answered from memory");
    }

    @Test
    void concurrentMissesForOneKeyMakeOneQuery() throws Exception {
        String customer = TestIds.customer();
        double before = Metrics.value(LOADS, "");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> given().queryParam("customerId", customer)
                        .get("/api/widget/config").statusCode(), pool));
            }
            for (CompletableFuture<Integer> call : calls) {
                assertEquals(200, call.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1.0, Metrics.value(LOADS, "") - before);
    }

    @Test
    void aWriteIsVisibleOnTheNextReadDespiteTheCache() {
        String customer = TestIds.customer();
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.enhancedStorage", equalTo(false));
        Api.admin().body(body(phase2("enhancedStorage", true), "beta")).put("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.enhancedStorage", equalTo(true));
        Api.admin().queryParam("reason", "done").delete("/api/admin/customers/{id}/flags", customer)
                .then().statusCode(200);
        given().queryParam("customerId", customer).get("/api/widget/config")
                .then().body("sessionPersistence.phase2.enhancedStorage", equalTo(false));
    }

    @Test
    void statsShowKeysHitsAndMissesAndInvalidationRemovesKeys() {
        String customer = TestIds.customer();
        String organization = TestIds.organization();
        int hits = Api.viewer().get("/api/admin/cache").then().statusCode(200).extract().path("hits");
        widgetConfig(customer, organization);
        widgetConfig(customer, organization);
        Api.viewer().queryParam("maxKeys", 10_000).get("/api/admin/cache").then().statusCode(200)
                .body("keys", hasItem("customer:" + customer))
                .body("keys", hasItem("organization:" + organization))
                .body("hits", equalTo(hits + 2));

        Api.admin().delete("/api/admin/cache/customers/{id}", customer).then().statusCode(200)
                .body("replicas", equalTo("all"));
        Api.viewer().queryParam("maxKeys", 10_000).get("/api/admin/cache").then()
                .body("keys", not(hasItem("customer:" + customer)))
                .body("keys", hasItem("organization:" + organization));
        Api.admin().delete("/api/admin/cache/organizations/{id}", organization).then().statusCode(200)
                .body("cleared", equalTo("organization:" + organization));
        Api.viewer().queryParam("maxKeys", 10_000).get("/api/admin/cache").then()
                .body("keys", not(hasItem("organization:" + organization)));

        // a full clear drops both scopes; other tests' open streams may read their own documents again right
        // after it, so what is checked is that these are gone, not that nothing is held
        widgetConfig(customer, organization);
        Api.viewer().queryParam("maxKeys", 10_000).get("/api/admin/cache").then()
                .body("keys", hasItem("customer:" + customer))
                .body("keys", hasItem("organization:" + organization));
        Api.admin().delete("/api/admin/cache").then().statusCode(200);
        Api.viewer().queryParam("maxKeys", 10_000).get("/api/admin/cache").then()
                .body("keys", not(hasItem("customer:" + customer)))
                .body("keys", not(hasItem("organization:" + organization)));
        Api.viewer().delete("/api/admin/cache").then().statusCode(403);
        Api.admin().delete("/api/admin/cache/customers/{id}", "no way").then().statusCode(400);
    }

    private static void widgetConfig(String customer, String organization) {
        var request = given().queryParam("customerId", customer);
        if (organization != null) {
            request.queryParam("organizationId", organization);
        }
        request.get("/api/widget/config").then().statusCode(200);
    }
}
