package io.rollgate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rollgate.support.PackagedService;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged service in production refuses to start with a template's placeholder as its admin token. */
class WeakTokenIT {

    @Test
    void productionRefusesAPlaceholderAdminTokenWithAClearMessage() throws Exception {
        File log = new File("target/weak-token.log");
        ProcessBuilder builder = new ProcessBuilder(PackagedService.command("-Dquarkus.http.port=8095"))
                .redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("ROLLGATE_SECURITY_ADMIN_TOKEN", "change-me-to-a-long-random-value");
        builder.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:5432/rollgate_test");
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/rollgate_test");
        Process service = builder.start();
        try {
            assertTrue(service.waitFor(60, TimeUnit.SECONDS), "the service should stop by itself");
            assertNotEquals(0, service.exitValue());
            String output = Files.readString(log.toPath());
            assertTrue(output.contains("Refusing to start with a weak token")
                    && output.contains("rollgate.security.admin-token looks like a template placeholder"), output);
            assertTrue(!output.contains("change-me-to-a-long-random-value"), "the token itself is never logged");
            // the refusal is the only error: nothing started before the check fails as the start is undone
            List<String> errors = output.lines().filter(line -> line.contains("ERROR")).toList();
            assertEquals(1, errors.size(), String.join("\n", errors));
            assertTrue(errors.get(0).contains("Failed to start"), errors.get(0));
        } finally {
            service.destroyForcibly();
        }
    }
}
