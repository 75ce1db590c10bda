package io.rollgate.security;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** A client that is not a trusted proxy cannot pick its own identity with a forwarded header. */
@QuarkusTest
@TestProfile(UntrustedPeerProfile.class)
class SpoofedForwardingTest {

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerDoesNotEscapeTheLimit() {
        // five requests, each claiming to be someone else: all count against this one peer
        for (int i = 0; i < 5; i++) {
            given().header("X-Forwarded-For", "198.51.100." + i).get("/api/widget/config").then().statusCode(200);
        }
        given().header("X-Forwarded-For", "198.51.100.99").get("/api/widget/config").then().statusCode(429);
        given().header("Forwarded", "for=192.0.2.60").get("/api/widget/config").then().statusCode(429);
    }
}
