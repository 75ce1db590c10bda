package io.rollgate.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.Entity;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Flyway owns the schema and Hibernate only maps it. The service cannot validate its entities at boot
 * (it starts before PostgreSQL may be reachable, and migrates when it is), so this test migrates first and
 * then boots with Hibernate's schema validation on: a mapping that disagrees with a migration fails here.
 */
@QuarkusTest
@TestProfile(EntityMappingTest.Validating.class)
class EntityMappingTest {

    @Inject
    Mutiny.SessionFactory sessions;

    @Test
    void everyEntityIsValidatedAgainstTheMigratedSchema() {
        // reaching this test means validation passed at boot; it covered every entity the code declares
        Set<String> declared = new TreeSet<>();
        new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rollgate").stream()
                .filter(type -> type.isAnnotatedWith(Entity.class))
                .forEach(type -> declared.add(type.getName()));
        Set<String> validated = new TreeSet<>();
        sessions.getMetamodel().getEntities().forEach(entity -> validated.add(entity.getJavaType().getName()));
        assertEquals(declared, validated);
        assertTrue(validated.containsAll(List.of("io.rollgate.audit.AuditRecord", "io.rollgate.tokens.TokenRecord",
                "io.rollgate.rollouts.RolloutRow", "io.rollgate.canary.CanaryRow", "io.rollgate.flags.admin.FlagRow")),
                validated.toString());
    }

    public static class Validating implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.hibernate-orm.schema-management.strategy", "validate");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MigratedFirst.class));
        }
    }

    /** Brings the test database to the newest migration before the service (and its validation) starts. */
    public static class MigratedFirst implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            var config = ConfigProvider.getConfig();
            Flyway.configure()
                    .dataSource(config.getValue("quarkus.datasource.jdbc.url", String.class),
                            config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres"),
                            config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null))
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }
}
