package io.rollgate.overrides;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Runs OverrideCacheTest against the packaged application (the native binary with -Dnative). */
@QuarkusIntegrationTest
class OverrideCacheIT extends OverrideCacheTest {
}
