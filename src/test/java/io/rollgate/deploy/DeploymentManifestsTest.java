package io.rollgate.deploy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Api;
import io.rollgate.support.Await;
import io.rollgate.support.Events;
import io.rollgate.support.Management;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The Kubernetes, Docker and Grafana files, checked against the running service they describe. */
@QuarkusTest
class DeploymentManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:rollgate|http_server|jvm|process)_[a-z0-9_]+)\\b");

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
            var iterator = YAML.readValues(parser, JsonNode.class);
            while (iterator.hasNext()) {
                documents.add(iterator.next());
            }
        }
        return documents;
    }

    private static JsonNode container() throws IOException {
        return documents(Path.of("k8s/base/deployment.yaml")).get(0).at("/spec/template/spec/containers/0");
    }

    @Test
    void probesAndPortsAreTheServicesOwn() throws IOException {
        JsonNode container = container();
        assertEquals(property("quarkus.http.port"), container.at("/ports/0/containerPort").asInt());
        assertEquals("http", container.at("/ports/0/name").asText());
        // probes and metrics on the management interface, which the Ingress never routes
        assertEquals(property("quarkus.management.port"), container.at("/ports/1/containerPort").asInt());
        assertEquals("management", container.at("/ports/1/name").asText());
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            String path = container.at("/" + probe + "/httpGet/path").asText();
            assertFalse(path.isEmpty(), probe);
            assertEquals("management", container.at("/" + probe + "/httpGet/port").asText(), probe);
            Management.given().get(path).then().statusCode(200);
            given().get(path).then().statusCode(404);
        }
        JsonNode service = documents(Path.of("k8s/base/service.yaml")).get(0);
        assertEquals("http", service.at("/spec/ports/0/targetPort").asText());
        assertEquals("management", service.at("/spec/ports/1/name").asText());
        JsonNode monitor = documents(Path.of("k8s/base/servicemonitor.yaml")).get(0);
        assertEquals("management", monitor.at("/spec/endpoints/0/port").asText());
        Management.given().get(monitor.at("/spec/endpoints/0/path").asText()).then().statusCode(200);
        // the NetworkPolicy lets the ingress controller reach only the serving port, Prometheus only management
        JsonNode policy = documents(Path.of("k8s/base/networkpolicy.yaml")).get(0);
        assertEquals(property("quarkus.http.port"), policy.at("/spec/ingress/0/ports/0/port").asInt());
        assertEquals("ingress-nginx",
                policy.at("/spec/ingress/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                        .asText());
        assertEquals(1, policy.at("/spec/ingress/0/from").size());
        assertEquals(property("quarkus.management.port"), policy.at("/spec/ingress/1/ports/0/port").asInt());
        assertEquals("monitoring",
                policy.at("/spec/ingress/1/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name")
                        .asText());
    }

    private static int property(String key) throws IOException {
        return Files.readAllLines(Path.of("src/main/resources/application.properties")).stream()
                .filter(line -> line.startsWith(key + "="))
                .map(line -> Integer.parseInt(line.substring(line.indexOf('=') + 1).trim()))
                .findFirst().orElseThrow();
    }

    @Test
    void everyEnvironmentVariableIsAConfigurationKeyOfTheService() throws IOException {
        Set<String> known = new HashSet<>();
        for (String name : ConfigProvider.getConfig().getPropertyNames()) {
            String property = name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name;
            known.add(property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        // standard Quarkus keys the service reads without setting them itself, as the configuration reference lists them
        Matcher documented = Pattern.compile("`((?:quarkus|rollgate)\\.[a-z0-9.\"-]+)`")
                .matcher(Files.readString(Path.of("docs/configuration.md")));
        while (documented.find()) {
            known.add(documented.group(1).replace("\"", "").replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT));
        }
        Set<String> variables = new LinkedHashSet<>();
        container().path("env").forEach(env -> variables.add(env.get("name").asText()));
        documents(Path.of("k8s/base/configmap.yaml")).get(0).path("data").fieldNames().forEachRemaining(variables::add);
        documents(Path.of("docker/compose.yaml")).get(0).at("/services/rollgate/environment").fieldNames()
                .forEachRemaining(variables::add);
        assertTrue(variables.size() > 8, variables.toString());
        // what the JVM image's launcher reads, not the service
        variables.remove("JAVA_MAX_MEM_RATIO");
        for (String variable : variables) {
            assertTrue(known.contains(variable), variable + " is not a configuration key of the service");
        }
    }

    @Test
    void theDeploymentIsHardenedAndTheOverlaysSetTheirEnvironment() throws IOException {
        JsonNode pod = documents(Path.of("k8s/base/deployment.yaml")).get(0).at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        JsonNode container = container();
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean());
        assertFalse(container.at("/resources/limits/memory").isMissingNode());
        // the heap's share of the limit, as measured to fit (docs/deployment.md); the launcher's default is larger
        assertEquals(List.of("50"), environment(container, "JAVA_MAX_MEM_RATIO"));
        // an event loop per CPU of the limit: more loops than CPUs wait out each other's time slices
        assertEquals(List.of(container.at("/resources/limits/cpu").asText()),
                environment(container, "QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE"));
        for (JsonNode resource : documents(Path.of("k8s/base/kustomization.yaml")).get(0).path("resources")) {
            assertTrue(Files.exists(Path.of("k8s/base").resolve(resource.asText())), resource.asText());
        }
        Map<String, Integer> replicas = Map.of("staging", 2, "production", 3);
        for (var overlay : replicas.entrySet()) {
            String patches = documents(Path.of("k8s/overlays/" + overlay.getKey() + "/kustomization.yaml")).get(0)
                    .path("patches").toString();
            assertTrue(patches.contains("value: " + overlay.getValue()), overlay.getKey() + " replicas");
            assertTrue(patches.contains("value: " + overlay.getKey()), overlay.getKey() + " environment");
        }
        // the overlays' environments are ones the widget catalog has defaults for
        Api.admin().get("/api/admin/flags/{n}", "sessionPersistence.phase2.enhancedStorage").then()
                .body("environmentDefaults.staging", org.hamcrest.Matchers.equalTo(true))
                .body("environmentDefaults.production", org.hamcrest.Matchers.equalTo(false));
    }

    @Test
    void theBenchmarksStartTheJvmAsThePodsLauncherDoes() throws IOException {
        // bench/lib.sh repeats the options this image's launcher (run-java.sh) derives from the environment
        assertTrue(Files.readString(Path.of("docker/Dockerfile.jvm"))
                .contains("FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:"));
        String bench = Files.readString(Path.of("bench/lib.sh"));
        assertTrue(bench.contains("limits && /memory:/"), "the memory limit is read from the Deployment");
        List<String> launcherVariables = new ArrayList<>();
        container().path("env").forEach(env -> {
            String name = env.path("name").asText();
            if (name.startsWith("JAVA_") || name.startsWith("GC_")) {
                launcherVariables.add(name);
            }
        });
        assertTrue(launcherVariables.contains("JAVA_MAX_MEM_RATIO"), launcherVariables.toString());
        for (String name : launcherVariables) {
            assertTrue(bench.contains("deployment_env " + name), name + " is not applied by bench/lib.sh");
        }
        // and the image's own: its -XX options and malloc arenas
        assertTrue(bench.contains("^ENV JAVA_OPTS_APPEND=") && bench.contains("^ENV MALLOC_ARENA_MAX="),
                "bench/lib.sh applies docker/Dockerfile.jvm's JAVA_OPTS_APPEND and MALLOC_ARENA_MAX");
    }

    @Test
    void theJvmImageOptionsAreOnesAJdk17Accepts() throws Exception {
        // an option the JVM does not know stops every pod at start; the image's JDK is a 17 as this one is
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        String dockerfile = Files.readString(Path.of("docker/Dockerfile.jvm"));
        Matcher append = Pattern.compile("(?m)^ENV JAVA_OPTS_APPEND=\"(.*)\"$").matcher(dockerfile);
        assertTrue(append.find(), "docker/Dockerfile.jvm sets JAVA_OPTS_APPEND");
        List<String> options = List.of(append.group(1).split(" ")).stream().filter(o -> o.startsWith("-XX:"))
                .toList();
        assertTrue(options.contains("-XX:TrimNativeHeapInterval=5000"), options.toString());
        command.addAll(options);
        command.add("-version");
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, jvm.waitFor(), command + " printed: " + output);
        assertTrue(dockerfile.contains("\nENV MALLOC_ARENA_MAX=2\n"), "the image bounds glibc's malloc arenas");
    }

    @Test
    void theNativeImagesBoundTheHeapAsTheJvmImageDoes() throws IOException {
        // the jar's heap is JAVA_MAX_MEM_RATIO per cent of the memory limit; a native executable reads its bounds
        // from its command line, which each native image gives it alike
        String limit = container().at("/resources/limits/memory").asText();
        Matcher mebibytes = Pattern.compile("(\\d+)Mi").matcher(limit);
        assertTrue(mebibytes.matches(), "memory limit in Mi: " + limit);
        int ratio = Integer.parseInt(environment(container(), "JAVA_MAX_MEM_RATIO").get(0));
        String heap = "\"-Xmx" + Integer.parseInt(mebibytes.group(1)) * ratio / 100 + "m\"";
        Set<String> entrypoints = new HashSet<>();
        for (String image : List.of("Dockerfile.native", "Dockerfile.native-micro", "Dockerfile.native-multistage")) {
            String entrypoint = Files.readString(Path.of("docker", image)).lines()
                    .filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
            assertTrue(entrypoint.contains(heap), image + " bounds the heap with " + heap + ": " + entrypoint);
            assertTrue(entrypoint.contains("\"-Xmn"), image + " bounds the young generation: " + entrypoint);
            entrypoints.add(entrypoint);
        }
        assertEquals(1, entrypoints.size(), "the native images start the executable alike: " + entrypoints);
        assertTrue(Files.readString(Path.of("bench/lib.sh")).contains("docker/Dockerfile.native"),
                "a native benchmark takes the image's options");
    }

    private static List<String> environment(JsonNode container, String name) {
        List<String> values = new ArrayList<>();
        container.path("env").forEach(env -> {
            if (name.equals(env.path("name").asText())) {
                values.add(env.path("value").asText());
            }
        });
        return values;
    }

    @Test
    void theDashboardIsTheSameForComposeAndKubernetes() throws IOException {
        assertEquals(Files.readString(Path.of("docker/grafana/dashboards/rollgate.json")),
                Files.readString(Path.of("k8s/base/grafana/rollgate.json")));
    }

    @Test
    void alertsAndDashboardPanelsNameMetricsTheServiceExports() throws Exception {
        Set<String> exported = exportedMetrics();
        Set<String> referenced = new LinkedHashSet<>();
        for (JsonNode group : documents(Path.of("k8s/base/prometheusrule.yaml")).get(0).at("/spec/groups")) {
            for (JsonNode rule : group.path("rules")) {
                referenced.addAll(metrics(rule.path("expr").asText()));
            }
        }
        JsonNode dashboard = JSON.readTree(Path.of("docker/grafana/dashboards/rollgate.json").toFile());
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                Set<String> names = metrics(target.path("expr").asText());
                assertFalse(names.isEmpty(), "panel " + panel.path("title").asText() + " queries no metric");
                referenced.addAll(names);
                queries++;
            }
        }
        dashboard.at("/annotations/list")
                .forEach(annotation -> referenced.addAll(metrics(annotation.path("expr").asText())));
        assertTrue(queries >= 14, queries + " queries");
        for (String metric : referenced) {
            assertTrue(exported.contains(metric), metric + " is not exported by the service");
        }
    }

    private static Set<String> metrics(String expression) {
        return METRIC.matcher(expression).results().map(match -> match.group(1))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * A short, healthy run (a rollout started with events, a canary with traffic, a widget read: nothing paused,
     * advanced or rolled back), then what is exported: every panel has a series before anything goes wrong.
     */
    private static Set<String> exportedMetrics() throws InterruptedException {
        String flag = "dash-" + UUID.randomUUID();
        String service = "dash-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Api.admin().body(Map.of("reason", "test", "name", flag)).post("/api/admin/flags").then().statusCode(201);
            Api.admin().body(Map.of("reason", "test", "featureName", flag)).post("/api/admin/rollouts").then()
                    .statusCode(201);
            Api.admin().body(Map.of("reason", "test")).post("/api/admin/rollouts/{f}/start", flag).then()
                    .statusCode(200);
            Events.send(Events.outcomes(flag, 5, 1));
            Api.admin().body(Map.of("reason", "test", "version", "v1"))
                    .post("/api/admin/canary/{s}/deployments", service)
                    .then().statusCode(201);
            Api.as(Api.INGEST_TOKEN).body(Map.of("requests", List.of(Map.of("canary", true, "latencyMs", 5,
                    "error", false)))).post("/api/canary/{s}/requests", service).then().statusCode(200);
            given().queryParam("customerId", "dash-customer").get("/api/widget/config").then().statusCode(200);
            // the rollout's series come with the catalog snapshot that holds it, which the change feed installs
            Await.until(Duration.ofSeconds(5), () -> Management.given().get("/q/metrics").then().extract().asString()
                    .contains("rollgate_rollout_tier{feature=\"" + flag + "\""), "the rollout's series");
            String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
            Set<String> names = new HashSet<>();
            try (Stream<String> lines = text.lines()) {
                lines.filter(line -> !line.startsWith("#") && !line.isBlank())
                        .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
            }
            return names;
        } finally {
            Api.admin().body(Map.of("reason", "cleanup")).post("/api/admin/canary/{s}/rollback", service);
            Api.admin().queryParam("reason", "test cleanup").delete("/api/admin/flags/{n}", flag);
        }
    }
}
