package io.rollgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import jakarta.persistence.Entity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.junit.jupiter.api.Test;

/**
 * The house rules, checked on the compiled classes: packages by feature whose dependencies point one
 * way (from the HTTP edge down to the engine), an engine of plain Java, and resources that translate
 * HTTP to services rather than reaching into the database, and entities only inside repositories.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rollgate");

    @Test
    void noTwoPackagesDependOnEachOtherEvenThroughOthers() {
        slices().matching("io.rollgate.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    private static final String[] FRAMEWORKS = { "io.quarkus..", "io.smallrye..", "io.vertx..", "jakarta..",
            "org.eclipse.microprofile..", "com.fasterxml..", "io.micrometer..", "org.jboss..", "org.hibernate..",
            "io.netty.." };

    @Test
    void noTwoSubPackagesOfAFeatureDependOnEachOther() {
        // flags.code builds on flags.admin, which reads flags.hygiene, and never the other way
        slices().matching("io.rollgate.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void noClassesInAPackageDependOnEachOtherInALoop() {
        // a loop of classes is one job spread over several files, or two jobs that cannot be read apart; a nested
        // class is part of the class around it
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass type) {
                JavaClass outer = type;
                while (outer.getEnclosingClass().isPresent()) {
                    outer = outer.getEnclosingClass().get();
                }
                return outer.getPackageName().startsWith("io.rollgate")
                        ? SliceIdentifier.of(outer.getName())
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "top-level classes";
            }
        }).should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void theEngineIsPlainJava() {
        // it may say what is wrong in the error vocabulary, itself plain Java (below)
        noClasses().that().resideInAPackage("io.rollgate.engine..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .orShould().dependOnClassesThat()
                .resideOutsideOfPackages("io.rollgate.engine..", "io.rollgate.errors..", "java..")
                .check(CLASSES);
    }

    @Test
    void theErrorVocabularyIsALeafOfPlainJava() {
        // what each error becomes on the wire is the HTTP edge's business (http.ProblemMappers)
        noClasses().that().resideInAPackage("io.rollgate.errors..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .orShould().dependOnClassesThat().resideOutsideOfPackages("io.rollgate.errors..", "java..")
                .check(CLASSES);
    }

    @Test
    void resourcesGoThroughServicesNotRepositories() {
        noClasses().that().haveSimpleNameEndingWith("Resource")
                .should().dependOnClassesThat().haveSimpleNameEndingWith("Repository")
                .check(CLASSES);
    }

    @Test
    void lowerLayersKnowNothingOfTheFeaturesAboveThem() {
        noClasses().that().resideInAnyPackage("io.rollgate.errors..", "io.rollgate.database..",
                "io.rollgate.http..", "io.rollgate.security..")
                .should().dependOnClassesThat().resideInAnyPackage("io.rollgate.catalog..",
                        "io.rollgate.evaluation..", "io.rollgate.flags..", "io.rollgate.overrides..",
                        "io.rollgate.rollouts..", "io.rollgate.events..", "io.rollgate.canary..",
                        "io.rollgate.audit..", "io.rollgate.tokens..", "io.rollgate.ofrep..", "io.rollgate.startup..",
                        "io.rollgate.live..")
                .check(CLASSES);
    }

    @Test
    void aServiceUsesTheRepositoriesOfItsOwnFeatureOnly() {
        // another feature's tables are reached through that feature's service, which keeps its rules; a feature is
        // a package under io.rollgate with its sub-packages (flags.code may use flags.admin's repository)
        classes().that().haveSimpleNameEndingWith("Service").should(new ArchCondition<JavaClass>(
                "use only repositories of its own feature") {
            @Override
            public void check(JavaClass service, ConditionEvents events) {
                service.getDirectDependenciesFromSelf().stream()
                        .map(Dependency::getTargetClass)
                        .filter(target -> target.getSimpleName().endsWith("Repository")
                                && target.getPackageName().startsWith("io.rollgate.")
                                && !feature(target).equals(feature(service)))
                        .map(JavaClass::getName).distinct()
                        .forEach(target -> events.add(SimpleConditionEvent.violated(service,
                                service.getName() + " uses " + target)));
            }
        }).check(CLASSES);
    }

    private static String feature(JavaClass type) {
        String[] parts = type.getPackageName().split("\\.", -1);
        return parts.length > 2 ? parts[2] : "";
    }

    @Test
    void onlyRepositoriesHoldTheSqlClient() {
        // a service holding the pool reads on another connection than the transaction that decides; audited changes
        // run in Hibernate's transaction (AuditedChanges), and what they read is read on its session. The database
        // plumbing is the pool's keeper.
        noClasses().that().resideOutsideOfPackage("io.rollgate.database..")
                .and().haveSimpleNameNotEndingWith("Repository")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx.mutiny.sqlclient..",
                        "io.vertx.sqlclient..")
                .check(CLASSES);
    }

    @Test
    void jsonColumnsCrossAsTextThroughOneHelper() {
        // Hibernate Reactive binds JSON as objects only, so arrays cannot be mapped as JSON: every JSONB column is
        // its text on the entity and in SQL client reads, parsed and written by database.JsonColumns
        noClasses().that().haveSimpleNameEndingWith("Repository")
                .should().dependOnClassesThat().haveFullyQualifiedName(ObjectMapper.class.getName())
                .check(CLASSES);
        fields().that().areAnnotatedWith(JdbcTypeCode.class).should(new ArchCondition<JavaField>(
                "not be mapped as JSON") {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                if (field.getAnnotationOfType(JdbcTypeCode.class).value() == SqlTypes.JSON) {
                    events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is mapped as JSON"));
                }
            }
        }).check(CLASSES);
    }

    @Test
    void noClassIsOverFourHundredLines() throws IOException {
        // a class that long is doing several jobs; split it by job before adding to it
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<String> tooLong = files.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> lines(path) > 400).map(Path::toString).sorted().toList();
            assertEquals(List.of(), tooLong);
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void timeComesFromTheInjectedClock() {
        // tests move time by replacing the one Clock; a class reading the system clock itself would not follow
        noClasses().that().doNotHaveSimpleName("ClockProducer")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .orShould().callMethod(java.time.Clock.class, "systemDefaultZone")
                .check(CLASSES);
    }

    @Test
    void entitiesStayBehindTheirRepositories() {
        // services work with the domain's records; rows are a persistence detail of one repository
        classes().that().areAnnotatedWith(Entity.class)
                .should().onlyHaveDependentClassesThat().haveSimpleNameEndingWith("Repository")
                .check(CLASSES);
    }
}
