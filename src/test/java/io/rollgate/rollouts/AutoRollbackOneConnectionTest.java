package io.rollgate.rollouts;

import static io.rollgate.rollouts.AutoRollbackTest.await;
import static io.rollgate.rollouts.AutoRollbackTest.fullRollout;
import static io.rollgate.rollouts.AutoRollbackTest.rollout;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rollgate.support.Events;
import io.rollgate.support.OneConnectionProfile;
import io.rollgate.support.TestFlags;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The automatic check decides on a rollout's error rate while its transaction holds the rollouts' rows, and reads
 * the evidence on that transaction's own connection: on a second pooled one it waited for the pool, and with a
 * single connection it never rolled anything back.
 */
@QuarkusTest
@TestProfile(OneConnectionProfile.class)
class AutoRollbackOneConnectionTest {

    private final TestFlags flags = new TestFlags();

    @AfterEach
    void cleanUp() {
        flags.deleteAll();
    }

    @Test
    void theCheckRollsBackOnTheConnectionItsTransactionHolds() throws Exception {
        String flag = fullRollout(flags, Map.of("errorRate", 0.05, "minSamples", 50, "consecutiveBreaches", 1,
                "timeWindow", 600_000));
        Events.send(Events.outcomes(flag, 90, 10));
        await(() -> "rolled_back".equals(rollout(flag).get("status")), "the automatic rollback");
    }
}
