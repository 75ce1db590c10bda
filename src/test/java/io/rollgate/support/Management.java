package io.rollgate.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health, metrics, the API document): a port apart from the API's. */
public final class Management {

    /** Where the test profile puts it, under @QuarkusTest and in the packaged build alike. */
    public static final int PORT = 9001;

    private Management() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().port(PORT);
    }
}
