package io.rollgate.canary;

import static io.rollgate.canary.CanaryResourceTest.healthyDeploymentCompletes;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.OneConnectionProfile;
import org.junit.jupiter.api.Test;

/**
 * The canary automation decides on a deployment's counts while its transaction holds the deployment's row. It reads
 * them on that transaction's own connection: on a second pooled one it waited for the pool behind the traffic
 * reports that wait for the row. With a single connection in the pool that wait never ends, so the automation would
 * never advance a stage.
 */
@QuarkusTest
@TestProfile(OneConnectionProfile.class)
class CanaryOneConnectionTest {

    @Test
    void theAutomationAdvancesAndCompletesOnTheConnectionItsTransactionHolds() throws Exception {
        healthyDeploymentCompletes(CanaryResourceTest.service());
    }
}
