package io.rollgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/architecture.md's table of packages names exactly the packages the code has. */
class ArchitectureDocTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z]+)/` \\|");

    @Test
    void theArchitectureDocumentNamesEveryPackageAndNoGoneOne() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("docs/architecture.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> packages;
        try (Stream<Path> entries = Files.list(Path.of("src/main/java/io/rollgate"))) {
            packages = entries.filter(Files::isDirectory).map(path -> path.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(packages, documented, "the packages of src/main/java/io/rollgate and the table's rows");
    }
}
