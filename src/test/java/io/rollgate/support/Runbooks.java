package io.rollgate.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The runbook SQL of docs/operations.md, block by block, so the tests run exactly what operators read. */
public final class Runbooks {

    private static final Path OPERATIONS = Path.of("docs/operations.md");

    private Runbooks() {
    }

    /** The SQL block marked {@code -- runbook: name}, marker line included (it is an SQL comment). */
    public static String sql(String name) {
        try {
            String text = Files.readString(OPERATIONS);
            Matcher block = Pattern.compile("```sql\\n(-- runbook: " + Pattern.quote(name) + "\\n.*?)```",
                    Pattern.DOTALL).matcher(text);
            if (!block.find()) {
                throw new IllegalStateException(
                        "docs/operations.md has no SQL block marked '-- runbook: " + name + "'");
            }
            return block.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("docs/operations.md cannot be read", e);
        }
    }
}
