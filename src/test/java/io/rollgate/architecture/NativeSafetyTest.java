package io.rollgate.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What a native executable needs and a JVM forgives, checked on the compiled classes without GraalVM. Quarkus
 * initializes classes while it builds the executable, so whatever a static field or initializer holds is frozen
 * into the image: a random generator seeded once for every process, a thread that does not exist at run time, a
 * file or socket opened on the build machine. And the executable holds only the classes registered for reflection
 * that something loads by name: Caffeine's generated cache and entry classes, and the JSON records Jackson reaches
 * through {@code Object} or a collection.
 */
class NativeSafetyTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rollgate");

    /** Types that carry a seed, a thread or an open resource: none may sit in a static field. */
    private static final List<Class<?>> NOT_IN_STATIC_FIELDS = List.of(java.util.Random.class,
            java.util.SplittableRandom.class, Thread.class, java.util.concurrent.Executor.class, java.util.Timer.class,
            AutoCloseable.class);

    /** Calls whose result differs per process (or per machine): never made while a class is initialized. */
    private static final Set<String> NOT_IN_STATIC_INITIALIZERS = Set.of("java.util.UUID.randomUUID",
            "java.lang.Math.random", "java.lang.System.nanoTime", "java.lang.System.currentTimeMillis",
            "java.time.Instant.now", "java.util.concurrent.ThreadLocalRandom.current", "java.lang.Thread.start",
            "java.lang.System.getenv");

    private static final String CAFFEINE_PACKAGE = "com.github.benmanes.caffeine.cache.";

    @Test
    void noStaticFieldHoldsASeedAThreadOrAnOpenResource() {
        List<String> found = new ArrayList<>();
        for (JavaClass type : CLASSES) {
            for (JavaField field : type.getFields()) {
                if (field.getModifiers().contains(JavaModifier.STATIC)
                        && NOT_IN_STATIC_FIELDS.stream().anyMatch(field.getRawType()::isAssignableTo)) {
                    found.add(field.getFullName() + " (" + field.getRawType().getName() + ")");
                }
            }
        }
        assertEquals(List.of(), found, "static fields are initialized when the native executable is built: hold "
                + "these in a bean (made at run time) or pass them in");
    }

    @Test
    void noStaticInitializerStartsSeedsOrOpensAnything() {
        List<String> found = new ArrayList<>();
        for (JavaClass type : CLASSES) {
            type.getStaticInitializer().ifPresent(initializer -> {
                for (JavaAccess<?> access : initializer.getAccessesFromSelf()) {
                    String target = access.getTargetOwner().getName() + "." + access.getName();
                    boolean constructs = access.getName().equals("<init>")
                            && NOT_IN_STATIC_FIELDS.stream().anyMatch(access.getTargetOwner()::isAssignableTo);
                    if (constructs || NOT_IN_STATIC_INITIALIZERS.contains(target)
                            || access.getTargetOwner().getName().equals("java.nio.file.Files")) {
                        found.add(type.getName() + ": " + target);
                    }
                }
            });
        }
        assertEquals(List.of(), found, "a static initializer runs when the native executable is built");
    }

    /**
     * Every place the code builds a Caffeine cache is built again here with the same builder calls, and the cache and
     * entry classes Caffeine would load by name for it must be registered by the class that builds it. A new option
     * on a builder changes the class names, and this fails until they are registered.
     */
    @Test
    void everyCaffeineConfigurationInTheCodeHasItsGeneratedClassesRegistered() throws Exception {
        List<JavaCodeUnit> builders = CLASSES.stream().flatMap(type -> type.getCodeUnits().stream())
                .filter(unit -> unit.getMethodCallsFromSelf().stream()
                        .anyMatch(call -> isCaffeine(call) && call.getName().equals("newBuilder")))
                .toList();
        assertFalse(builders.isEmpty(), "the code builds no Caffeine cache of its own any more: drop this check");
        List<String> missing = new ArrayList<>();
        for (JavaCodeUnit unit : builders) {
            List<String> calls = unit.getMethodCallsFromSelf().stream().filter(NativeSafetyTest::isCaffeine)
                    .sorted((a, b) -> Integer.compare(a.getLineNumber(), b.getLineNumber()))
                    .map(JavaAccess::getName).distinct().toList();
            Caffeine<Object, Object> builder = replay(calls, unit.getFullName());
            boolean async = calls.contains("buildAsync");
            Set<String> needed = generatedClasses(builder, async);
            Set<String> registered = registeredClassNames(unit.getOwner().reflect());
            for (String name : needed) {
                if (!registered.contains(name)) {
                    missing.add(unit.getFullName() + " (" + String.join(", ", calls) + ") needs " + name);
                }
            }
        }
        assertEquals(List.of(), missing,
                "register Caffeine's generated classes with @RegisterForReflection(classNames = ...) on the class "
                        + "that builds the cache, with a comment naming the configuration they serve");
    }

    /** The caches quarkus-cache builds from application.properties: their classes are the ones it registers. */
    @Test
    void everyConfiguredQuarkusCacheUsesClassesQuarkusRegisters() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Pattern key = Pattern.compile("(?:%[a-z-]+\\.)?quarkus\\.cache\\.caffeine\\.\"([^\"]+)\"\\.([a-z-]+)");
        java.util.Map<String, Set<String>> caches = new java.util.TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            Matcher matcher = key.matcher(name);
            if (matcher.matches()) {
                caches.computeIfAbsent(matcher.group(1), ignored -> new TreeSet<>()).add(matcher.group(2));
            }
        }
        assertFalse(caches.isEmpty(), "no cache is configured for quarkus-cache any more: drop this check");
        Set<String> registered = quarkusRegistered();
        List<String> missing = new ArrayList<>();
        for (java.util.Map.Entry<String, Set<String>> entry : caches.entrySet()) {
            String cache = entry.getKey();
            Set<String> settings = entry.getValue();
            List<String> calls = new ArrayList<>();
            for (String setting : settings) {
                switch (setting) {
                    case "maximum-size" -> calls.add("maximumSize");
                    case "expire-after-write" -> calls.add("expireAfterWrite");
                    case "expire-after-access" -> calls.add("expireAfterAccess");
                    case "metrics-enabled" -> calls.add("recordStats");
                    case "initial-capacity" -> calls.add("initialCapacity");
                    default -> throw new AssertionError("teach this test what quarkus.cache.caffeine.\"" + cache
                            + "\"." + setting + " does to the builder");
                }
            }
            for (String name : generatedClasses(replay(calls, cache), true)) {
                if (!registered.contains(name)) {
                    missing.add(cache + " " + settings + " needs " + name);
                }
            }
        }
        assertEquals(List.of(), missing, "quarkus-cache registers a fixed list of Caffeine's classes: register the "
                + "missing ones with @RegisterForReflection(classNames = ...) on the class that uses the cache");
    }

    /**
     * Jackson reaches a record's components by reflection. Quarkus registers the types a REST method takes and
     * answers; a record reached only through another one (a list of entries, a nested view) must be registered where
     * it is declared, or the native executable answers it as an empty object.
     */
    @Test
    void recordsInsideRegisteredRecordsAreRegisteredToo() {
        Set<Class<?>> registered = new java.util.HashSet<>();
        for (JavaClass declared : CLASSES) {
            Class<?> type = declared.reflect();
            RegisterForReflection registration = type.getAnnotation(RegisterForReflection.class);
            if (registration == null) {
                continue;
            }
            if (registration.targets().length == 0 && registration.classNames().length == 0) {
                registered.add(type);
            }
            registered.addAll(Arrays.asList(registration.targets()));
        }
        assertFalse(registered.isEmpty());
        Set<String> missing = new TreeSet<>();
        for (Class<?> type : registered) {
            if (!type.isRecord()) {
                continue;
            }
            for (RecordComponent component : type.getRecordComponents()) {
                for (Class<?> inner : ownTypesIn(component.getGenericType())) {
                    if (inner.isRecord() && !registered.contains(inner)) {
                        missing.add(inner.getName() + " (in " + type.getSimpleName() + "." + component.getName() + ")");
                    }
                }
            }
        }
        assertEquals(Set.of(), missing, "annotate these records with @RegisterForReflection");
    }

    private static boolean isCaffeine(JavaAccess<?> call) {
        return call.getTargetOwner().isEquivalentTo(Caffeine.class);
    }

    /** The same builder calls with harmless arguments: the generated classes depend on which calls, not on values. */
    private static Caffeine<Object, Object> replay(List<String> calls, String where) {
        Caffeine<Object, Object> builder = Caffeine.newBuilder();
        if (calls.contains("maximumWeight")) {
            builder.maximumWeight(10).weigher((key, value) -> 1);
        }
        for (String call : calls) {
            switch (call) {
                case "newBuilder", "build", "buildAsync", "maximumWeight", "weigher" -> {
                }
                case "maximumSize" -> builder.maximumSize(10);
                case "expireAfterWrite" -> builder.expireAfterWrite(Duration.ofMinutes(1));
                case "expireAfterAccess" -> builder.expireAfterAccess(Duration.ofMinutes(1));
                case "refreshAfterWrite" -> builder.refreshAfterWrite(1, TimeUnit.MINUTES);
                case "executor" -> builder.executor(Runnable::run);
                case "recordStats" -> builder.recordStats();
                case "initialCapacity" -> builder.initialCapacity(16);
                case "weakKeys" -> builder.weakKeys();
                case "weakValues" -> builder.weakValues();
                case "softValues" -> builder.softValues();
                case "removalListener" -> builder.removalListener((key, value, cause) -> {
                });
                case "evictionListener" -> builder.evictionListener((key, value, cause) -> {
                });
                case "ticker" -> builder.ticker(System::nanoTime);
                default -> throw new AssertionError(
                        "teach this test to replay Caffeine." + call + " (called in " + where + ")");
            }
        }
        return builder;
    }

    /** The names Caffeine itself would load for this builder: the cache class and the entry class. */
    private static Set<String> generatedClasses(Caffeine<Object, Object> builder, boolean async) throws Exception {
        Set<String> names = new LinkedHashSet<>();
        Method cache = Class.forName(CAFFEINE_PACKAGE + "LocalCacheFactory").getMethod("getClassName",
                Caffeine.class);
        cache.setAccessible(true);
        Method node = Class.forName(CAFFEINE_PACKAGE + "NodeFactory").getMethod("getClassName", Caffeine.class,
                boolean.class);
        node.setAccessible(true);
        for (Object name : List.of(cache.invoke(null, builder), node.invoke(null, builder, async))) {
            String className = CAFFEINE_PACKAGE + name;
            Class.forName(className); // the name is one Caffeine ships: the replay is right
            names.add(className);
        }
        return names;
    }

    private static Set<String> registeredClassNames(Class<?> type) {
        RegisterForReflection registration = type.getAnnotation(RegisterForReflection.class);
        if (registration == null) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>(Arrays.asList(registration.classNames()));
        Arrays.stream(registration.targets()).map(Class::getName).forEach(names::add);
        return names;
    }

    /** What quarkus-caffeine registers for every application (its GraalVM feature's fixed list). */
    private static Set<String> quarkusRegistered() throws IOException {
        String feature = "/io/quarkus/caffeine/runtime/graal/CacheConstructorsFeature.class";
        try (InputStream in = NativeSafetyTest.class.getResourceAsStream(feature)) {
            assertTrue(in != null, "quarkus-caffeine's feature moved: " + feature);
            // the names sit in the class file's constant pool as plain strings
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            Set<String> names = new TreeSet<>();
            Matcher matcher = Pattern.compile(Pattern.quote(CAFFEINE_PACKAGE) + "[A-Z]+(?![A-Za-z0-9_$])")
                    .matcher(text);
            while (matcher.find()) {
                names.add(matcher.group());
            }
            assertFalse(names.isEmpty(), "found no class names in " + feature);
            return names;
        }
    }

    private static Set<Class<?>> ownTypesIn(Type type) {
        Set<Class<?>> found = new LinkedHashSet<>();
        if (type instanceof Class<?> plain) {
            Class<?> element = plain.isArray() ? plain.getComponentType() : plain;
            if (element.getName().startsWith("io.rollgate.")) {
                found.add(element);
            }
        } else if (type instanceof ParameterizedType parameterized) {
            found.addAll(ownTypesIn(parameterized.getRawType()));
            for (Type argument : parameterized.getActualTypeArguments()) {
                found.addAll(ownTypesIn(argument));
            }
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                found.addAll(ownTypesIn(bound));
            }
        }
        return found;
    }
}
