package io.rollgate.canary;

import static io.rollgate.canary.CanaryResourceTest.await;
import static io.rollgate.canary.CanaryResourceTest.current;
import static io.rollgate.canary.CanaryResourceTest.latest;
import static io.rollgate.canary.CanaryResourceTest.report;
import static io.rollgate.canary.CanaryResourceTest.service;
import static io.rollgate.canary.CanaryResourceTest.stage;
import static io.rollgate.canary.CanaryResourceTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.OneConnectionProfile;
import java.util.List;
import java.util.Map;
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
        String service = service();
        start(service, "v2", List.of(stage(10, 1, 20, 0.1), stage(100, 0, 0, 0.1)));
        report(service, 30, 1, 200);
        await(() -> Integer.valueOf(2).equals(current(service).get("currentStage")), "the last stage");
        report(service, 25, 0, 0);
        await(() -> "completed".equals(latest(service).get("status")), "completion");
        Map<?, ?> finalMetrics = (Map<?, ?>) latest(service).get("finalMetrics");
        Map<?, ?> firstStage = (Map<?, ?>) ((List<?>) finalMetrics.get("stages")).get(0);
        assertEquals(30, ((Map<?, ?>) firstStage.get("canary")).get("requests"));
    }
}
