package io.rollgate.evaluation;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Runs WidgetConfigResourceTest against the packaged application (the native binary with -Dnative). */
@QuarkusIntegrationTest
class WidgetConfigResourceIT extends WidgetConfigResourceTest {
}
