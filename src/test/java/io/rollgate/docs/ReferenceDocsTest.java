package io.rollgate.docs;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.rollgate.support.Management;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reference documents are how users find the API and the configuration, so they must match the code:
 * docs/api.md lists exactly the operations of the OpenAPI document, and docs/configuration.md exactly the
 * keys (and defaults) of our configuration mappings.
 */
@QuarkusTest
class ReferenceDocsTest {

    private static final Path API = Path.of("docs/api.md");
    private static final Path CONFIGURATION = Path.of("docs/configuration.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern MAPPING = Pattern.compile("^package ([\\w.]+);.*?@ConfigMapping\\(",
            Pattern.DOTALL);

    @Test
    void theApiTableListsEveryOperationOfTheOpenApiDocumentAndNoOther() throws IOException {
        TreeSet<String> documented = new TreeSet<>();
        for (String[] row : table(API, "## Operations")) {
            documented.addAll(operations(row[0]));
        }
        documented.removeIf(operation -> operation.contains(" /q/"));
        Map<String, Map<String, Object>> paths = Management.given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        TreeSet<String> served = new TreeSet<>();
        paths.forEach((path, methods) -> methods.keySet()
                .forEach(method -> served.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        assertTrue(served.size() > 40, served.toString());
        assertEquals(List.of(), difference(served, documented),
                "served but not in the operations table of docs/api.md");
        assertEquals(List.of(), difference(documented, served),
                "in the operations table of docs/api.md but not served");
    }

    @Test
    void theConfigurationTableListsEveryKeyWithItsDefault() throws Exception {
        Map<String, String> documented = new TreeMap<>();
        for (String[] row : table(CONFIGURATION, "## Keys")) {
            List<String> keys = expand(codes(row[0].replaceAll("\\(`[A-Z_]+`\\)", "")));
            String beforeNote = row[1].split(" \\(", 2)[0].trim();
            List<String> defaults = beforeNote.startsWith("none") ? List.of() : codes(beforeNote);
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).startsWith("rollgate.")) {
                    documented.put(keys.get(i), i < defaults.size() ? defaults.get(i) : "none");
                }
            }
        }
        Map<String, String> mapped = new TreeMap<>();
        for (Class<?> mapping : mappings()) {
            properties(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, mapped);
        }
        assertTrue(mapped.size() > 20, mapped.toString());
        assertEquals(List.of(), difference(mapped.entrySet(), documented.entrySet()),
                "configuration (key=default) missing from docs/configuration.md");
        assertEquals(List.of(), difference(documented.entrySet(), mapped.entrySet()),
                "docs/configuration.md names a key or default the code does not have");
    }

    private static List<String> difference(Collection<?> these, Collection<?> those) {
        return these.stream().filter(item -> !those.contains(item)).map(String::valueOf).sorted().toList();
    }

    /** "`GET`, `PUT /a/{id}`" or "`POST /a/{id}/pause`, `/resume`" or "`GET /a`, `GET /a/{id}`". */
    private static List<String> operations(String cell) {
        List<String> operations = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> methods = List.of();
        String last = null;
        for (String code : codes(cell)) {
            String[] parts = code.split(" ", 2);
            String path;
            if (parts.length == 2) {
                pending.add(parts[0]);
                methods = pending;
                pending = new ArrayList<>();
                path = parts[1];
            } else if (parts[0].matches("[A-Z]+")) {
                pending.add(parts[0]);
                continue;
            } else if (last != null && parts[0].lastIndexOf('/') == 0) {
                path = last.substring(0, last.lastIndexOf('/')) + parts[0];
            } else {
                path = parts[0];
            }
            path = path.split("\\?", 2)[0];
            for (String method : methods) {
                operations.add(method + " " + path);
            }
            last = path;
        }
        return operations;
    }

    /** "`a.b.c` / `d`": the second key shares the first one's prefix. */
    private static List<String> expand(List<String> codes) {
        List<String> keys = new ArrayList<>();
        for (String code : codes) {
            keys.add(code.contains(".") || keys.isEmpty()
                    ? code
                    : keys.get(0).substring(0, keys.get(0).lastIndexOf('.') + 1) + code);
        }
        return keys;
    }

    private static void properties(String prefix, Class<?> type, Map<String, String> into) {
        for (Method method : type.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "."
                    + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == type) {
                properties(key, returned, into);
                continue;
            }
            WithDefault fallback = method.getAnnotation(WithDefault.class);
            into.put(key, fallback != null
                    ? fallback.value()
                    : returned == Optional.class ? "none" : "(required)");
        }
    }

    private static List<Class<?>> mappings() throws IOException, ClassNotFoundException {
        List<Class<?>> mappings = new ArrayList<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                Matcher matcher = MAPPING.matcher(Files.readString(source));
                if (matcher.find()) {
                    String name = source.getFileName().toString().replace(".java", "");
                    mappings.add(Class.forName(matcher.group(1) + "." + name));
                }
            }
        }
        assertTrue(mappings.size() >= 7, mappings.toString());
        return mappings;
    }

    /** The rows (cells without the leading and trailing pipe) of the first table after the heading. */
    private static List<String[]> table(Path document, String heading) throws IOException {
        List<String> lines = Files.readAllLines(document);
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, document + " has no " + heading);
        List<String[]> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.substring(1).split("(?<!\\\\)\\|");
                if (!cells[0].startsWith("---") && !cells[0].trim().startsWith("Method")
                        && !cells[0].trim().startsWith("Key")) {
                    rows.add(Arrays.stream(cells).map(String::trim).toArray(String[]::new));
                }
            } else if (inTable || line.startsWith("## ")) {
                break;
            }
        }
        assertTrue(rows.size() > 10, heading + " table: " + rows.size() + " rows");
        return rows;
    }

    private static List<String> codes(String text) {
        return CODE.matcher(text).results().map(match -> match.group(1)).toList();
    }
}
