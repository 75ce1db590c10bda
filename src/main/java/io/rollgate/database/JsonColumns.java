package io.rollgate.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one way a JSONB column crosses into Java: as its text, read and written here with the API's own JSON settings.
 * Entities map such a column to a {@code String} (read {@code column::text}, written {@code ?::text::jsonb}) and
 * SQL client reads select {@code column::text}: Hibernate Reactive binds JSON columns as objects only, so a column
 * holding an array (rules, stages, history) cannot be mapped as JSON, and one style for every column beats two.
 */
@ApplicationScoped
public class JsonColumns {

    private final ObjectMapper json;

    public JsonColumns(ObjectMapper json) {
        this.json = json;
    }

    /** The value as JSON text; null stays null (SQL NULL). */
    public String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A value could not be written as JSON: " + value.getClass().getName(), e);
        }
    }

    /** The column's text as {@code type}; null stays null. Fails naming the column when the text has another shape. */
    public <T> T read(String text, TypeReference<T> type, String column) {
        return parse(text, column, () -> json.readValue(text, type));
    }

    /** The column's text as {@code type}; null stays null. Fails naming the column when the text has another shape. */
    public <T> T read(String text, Class<T> type, String column) {
        return parse(text, column, () -> json.readValue(text, type));
    }

    private interface Parse<T> {
        T parse() throws JsonProcessingException;
    }

    private static <T> T parse(String text, String column, Parse<T> parse) {
        if (text == null) {
            return null;
        }
        try {
            return parse.parse();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(column + " does not hold the expected JSON shape", e);
        }
    }
}
