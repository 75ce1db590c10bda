package io.rollgate.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Requests as each kind of caller makes them; tokens are the test profile's. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    public static final String VIEWER_TOKEN = "test-viewer-token-0123456789";
    public static final String INGEST_TOKEN = "test-ingest-token-0123456789";
    public static final String PROBLEM_JSON = "application/problem+json";

    private Api() {
    }

    public static RequestSpecification admin() {
        return as(ADMIN_TOKEN);
    }

    public static RequestSpecification viewer() {
        return as(VIEWER_TOKEN);
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }
}
