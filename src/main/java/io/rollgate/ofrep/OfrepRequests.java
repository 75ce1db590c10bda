package io.rollgate.ofrep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.catalog.RollgateConfig;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.errors.InvalidInputException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an OFREP request says, read as the protocol wants it read: the body arrives as text so that malformed JSON is
 * OFREP's PARSE_ERROR, and every problem is an {@link OfrepError} with the protocol's error code.
 */
@ApplicationScoped
class OfrepRequests {

    private static final int MAX_BODY = 64 * 1024;

    private final ObjectMapper json;
    private final RollgateConfig config;

    OfrepRequests(ObjectMapper json, RollgateConfig config) {
        this.json = json;
        this.config = config;
    }

    /** The request's evaluation context, and the context as the bulk answer's tag covers it. */
    record Context(EvaluationContext evaluation, String canonical) {
    }

    Context context(String body) {
        JsonNode node = contextNode(body);
        return new Context(context(node), canonical(node));
    }

    /** The body's context object, or the OFREP error its form deserves. */
    private JsonNode contextNode(String body) {
        if (body == null || body.isBlank()) {
            throw new OfrepError("INVALID_CONTEXT", "The body must be {\"context\": {...}}");
        }
        if (body.length() > MAX_BODY) {
            throw new OfrepError("PARSE_ERROR", "The body is larger than " + MAX_BODY + " bytes");
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new OfrepError("PARSE_ERROR", "The body is not valid JSON");
        }
        JsonNode context = root == null ? null : root.get("context");
        if (context == null || !context.isObject()) {
            throw new OfrepError("INVALID_CONTEXT", "context must be an object");
        }
        return context;
    }

    private EvaluationContext context(JsonNode context) {
        JsonNode targetingKey = context.get("targetingKey");
        if (targetingKey != null && !targetingKey.isNull() && !targetingKey.isTextual()) {
            throw new OfrepError("INVALID_CONTEXT", "context.targetingKey must be a string");
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        context.fields().forEachRemaining(field -> {
            JsonNode value = field.getValue();
            if (value.isTextual()) {
                attributes.put(field.getKey(), value.asText());
            } else if (value.isNumber() || value.isBoolean()) {
                attributes.put(field.getKey(), value.asText());
            }
        });
        try {
            return EvaluationContext.fromAttributes(attributes, config.environment());
        } catch (InvalidInputException e) {
            throw new OfrepError("INVALID_CONTEXT", e.violations().get(0).field() + " "
                    + e.violations().get(0).reason());
        }
    }

    /**
     * The change revision a refetch asks for: flagConfigEtag is the revision a refetchEvaluation event carried;
     * flagConfigLastModified is checked for its form only (clocks of replicas differ).
     */
    static long configRevision(String flagConfigEtag, String flagConfigLastModified) {
        if (flagConfigLastModified != null && !flagConfigLastModified.matches("\\d{1,12}")) {
            try {
                OffsetDateTime.parse(flagConfigLastModified);
            } catch (DateTimeParseException e) {
                throw new OfrepError("PARSE_ERROR", "flagConfigLastModified must be epoch seconds or ISO 8601");
            }
        }
        if (flagConfigEtag == null) {
            return 0;
        }
        try {
            return Long.parseLong(flagConfigEtag.replace("\"", ""));
        } catch (NumberFormatException e) {
            return 0; // a tag this service did not issue: answer with what it has
        }
    }

    /** The request's context with its attributes sorted, as the tag covers it. */
    private static String canonical(JsonNode context) {
        Map<String, String> sorted = new TreeMap<>();
        context.fields().forEachRemaining(field -> sorted.put(field.getKey(), field.getValue().toString()));
        return sorted.toString();
    }

    /** A request OFREP answers with an errorCode. */
    static final class OfrepError extends RuntimeException {
        final String code;

        OfrepError(String code, String details) {
            super(details, null, false, false);
            this.code = code;
        }
    }
}
