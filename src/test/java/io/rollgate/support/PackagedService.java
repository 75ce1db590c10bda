package io.rollgate.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * How a test starts another process of the packaged service: the native executable when the build made one
 * ({@code ./mvnw verify -Dnative}, which names it in {@code native.image.path}), the jar otherwise. Both take the
 * same {@code -D} options.
 */
public final class PackagedService {

    private PackagedService() {
    }

    /** The command line that starts the packaged service with these {@code -D} options. */
    public static List<String> command(List<String> options) {
        List<String> command = new ArrayList<>();
        String executable = System.getProperty("native.image.path");
        if (executable != null && new File(executable).canExecute()) {
            command.add(executable);
            command.addAll(options);
            return command;
        }
        File jar = new File("target/quarkus-app/quarkus-run.jar");
        assertTrue(jar.exists(), "the packaged service is needed: run this through mvn verify");
        command.add(System.getProperty("java.home") + "/bin/java");
        command.addAll(options);
        command.addAll(List.of("-jar", jar.getPath()));
        return command;
    }

    public static List<String> command(String... options) {
        return command(List.of(options));
    }
}
