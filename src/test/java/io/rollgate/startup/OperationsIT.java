package io.rollgate.startup;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Runs OperationsTest against the packaged application (the native binary with -Dnative). */
@QuarkusIntegrationTest
class OperationsIT extends OperationsTest {
}
