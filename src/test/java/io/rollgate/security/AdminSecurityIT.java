package io.rollgate.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Runs AdminSecurityTest against the packaged application (the native binary with -Dnative). */
@QuarkusIntegrationTest
class AdminSecurityIT extends AdminSecurityTest {
}
