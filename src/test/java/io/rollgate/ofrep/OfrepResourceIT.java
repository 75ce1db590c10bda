package io.rollgate.ofrep;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Runs OfrepResourceTest against the packaged application (the native binary with -Dnative). */
@QuarkusIntegrationTest
class OfrepResourceIT extends OfrepResourceTest {
}
