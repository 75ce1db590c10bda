package io.rollgate.ofrep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.catalog.CatalogService;
import io.rollgate.catalog.RollgateConfig;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.FlagResult;
import io.rollgate.engine.Source;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.evaluation.EvaluationService;
import io.rollgate.http.EntityTags;
import io.rollgate.live.OfrepStreams;
import io.rollgate.security.EvaluationAccess;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0), so OpenFeature SDKs use Rollgate with the
 * stock OFREP provider. Errors here take OFREP's shapes (errorCode, errorDetails), not problem+json,
 * because that is what the providers parse. The body is read as text so malformed JSON is OFREP's
 * PARSE_ERROR too.
 */
@Path("/ofrep/v1/evaluate/flags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "OFREP", description = "OpenFeature Remote Evaluation Protocol (public unless "
        + "rollgate.security.evaluation-requires-token; then role evaluation or admin)")
public class OfrepResource {

    private static final int MAX_BODY = 64 * 1024;
    private static final int INACTIVITY_DELAY_SEC = 120;

    private final EvaluationService evaluations;
    private final CatalogService catalogs;
    private final RollgateConfig config;
    private final ObjectMapper json;
    private final EvaluationAccess access;
    private final OfrepStreams streams;

    public OfrepResource(EvaluationService evaluations, CatalogService catalogs, RollgateConfig config,
            ObjectMapper json, EvaluationAccess access, OfrepStreams streams) {
        this.streams = streams;
        this.access = access;
        this.evaluations = evaluations;
        this.catalogs = catalogs;
        this.config = config;
        this.json = json;
    }

    @POST
    @Path("/{key}")
    @Operation(summary = "OFREP single-flag evaluation", description = "Public. Body {context: {targetingKey, ...attributes}}. 404 FLAG_NOT_FOUND, 400 "
            + "INVALID_CONTEXT, PARSE_ERROR or TARGETING_KEY_MISSING (a percentage needs a targeting key).")
    @APIResponse(responseCode = "200", description = "serverEvaluationSuccess")
    @APIResponse(responseCode = "400", description = "evaluationFailure")
    @APIResponse(responseCode = "404", description = "flagNotFound")
    public Uni<Response> evaluate(@PathParam("key") String key, String body) {
        return access.guard(() -> evaluateNow(key, body));
    }

    private Uni<Response> evaluateNow(String key, String body) {
        EvaluationContext context;
        try {
            context = context(contextNode(body));
        } catch (OfrepError e) {
            return Uni.createFrom().item(status(400, new OfrepResults.Failure(key, e.code, e.getMessage(), null)));
        }
        Catalog catalog = catalogs.require();
        FlagDefinition flag = catalog.find(key).orElse(null);
        if (flag == null) {
            return Uni.createFrom().item(status(404, new OfrepResults.Failure(key, "FLAG_NOT_FOUND",
                    "No flag named " + key, null)));
        }
        EvaluationContext finalContext = context;
        return evaluations.evaluate(flag, context).map(outcome -> {
            Object item = item(key, outcome.result(), finalContext, outcome.stale());
            return item instanceof OfrepResults.Failure failure ? status(400, failure) : status(200, item);
        });
    }

    @POST
    @Operation(summary = "OFREP bulk evaluation", description = "Public. Every flag for one context, with an ETag over the results and the context: "
            + "send it back as If-None-Match to get 304 while nothing changed for this context. eventStreams names "
            + "the SSE stream that announces changes (refetchEvaluation); a re-fetch it triggers carries "
            + "flagConfigEtag (and flagConfigLastModified), and this replica waits up to a second to have installed "
            + "that change (not merely heard of it) before it answers; past that it answers 503 with Retry-After, "
            + "never older values under a newer tag.")
    @APIResponse(responseCode = "200", description = "bulkEvaluationSuccess, with ETag")
    @APIResponse(responseCode = "503", description = "The change the refetch names is not installed here yet: retry")
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match")
    @APIResponse(responseCode = "400", description = "bulkEvaluationFailure")
    public Uni<Response> evaluateAll(String body, @HeaderParam("If-None-Match") String ifNoneMatch,
            @Parameter(description = "The etag of the refetchEvaluation event that triggered this request") @QueryParam("flagConfigEtag") String flagConfigEtag,
            @Parameter(description = "The lastModified of that event: epoch seconds or ISO 8601") @QueryParam("flagConfigLastModified") String flagConfigLastModified,
            @Context UriInfo uri) {
        return access.guard(() -> evaluateAllNow(body, ifNoneMatch, flagConfigEtag, flagConfigLastModified, uri));
    }

    private Uni<Response> evaluateAllNow(String body, String ifNoneMatch, String flagConfigEtag,
            String flagConfigLastModified, UriInfo uri) {
        EvaluationContext context;
        String canonicalContext;
        long wanted;
        try {
            JsonNode node = contextNode(body);
            context = context(node);
            canonicalContext = canonical(node);
            wanted = configRevision(flagConfigEtag, flagConfigLastModified);
        } catch (OfrepError e) {
            return Uni.createFrom().item(status(400, new OfrepResults.BulkFailure(e.code, e.getMessage())));
        }
        List<OfrepResults.EventStream> eventStreams = List.of(new OfrepResults.EventStream("sse",
                uri.getBaseUriBuilder().path("/ofrep/v1/event-stream").build().toString(), INACTIVITY_DELAY_SEC));
        return caughtUp(wanted).chain(() -> evaluations.evaluateAll(context, outcome -> {
            List<Object> items = new ArrayList<>();
            outcome.result().results().forEach(result -> items.add(item(result.flag().key(), result, context,
                    outcome.stale())));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("version", outcome.catalog().version());
            OfrepResults.Bulk bulk = new OfrepResults.Bulk(items, metadata, null);
            // the tag covers the context too: a client whose context changed never gets another context's 304
            String etag = etag(bulk, canonicalContext);
            if (EntityTags.matches(ifNoneMatch, etag)) {
                return Response.notModified().header("ETag", etag).build();
            }
            return Response.ok(bulk.withEventStreams(eventStreams), MediaType.APPLICATION_JSON).header("ETag", etag)
                    .build();
        })).onFailure(NotInstalled.class).recoverWithItem(e -> Response.status(503).header("Retry-After", 1)
                .type(MediaType.APPLICATION_JSON).entity(new OfrepResults.BulkFailure("GENERAL", e.getMessage()))
                .build());
    }

    /**
     * The change revision a refetch asks for: flagConfigEtag is the revision a refetchEvaluation event carried;
     * flagConfigLastModified is checked for its form only (clocks of replicas differ).
     */
    private static long configRevision(String flagConfigEtag, String flagConfigLastModified) {
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

    /**
     * Completes once this replica has installed {@code revision} (not merely heard of it), so a refetch is never
     * answered with older values under a newer tag; fails with 503 when that takes more than a second (the client
     * retries, perhaps on a replica that has it).
     */
    private Uni<Void> caughtUp(long revision) {
        if (revision <= 0 || revision <= streams.installedRevision()) {
            return Uni.createFrom().voidItem();
        }
        // where, not first(predicate): first takes ticks while the predicate holds, so it ended at once on the first
        // tick that found the revision missing, and the refetch never waited at all
        return Multi.createFrom().ticks().every(Duration.ofMillis(10))
                .select().where(tick -> streams.installedRevision() >= revision)
                .toUni().replaceWithVoid()
                .ifNoItem().after(Duration.ofSeconds(1)).failWith(() -> new NotInstalled(revision));
    }

    /** A refetch for a revision this replica has not installed within the bound. */
    private static final class NotInstalled extends RuntimeException {
        NotInstalled(long revision) {
            super("This replica has not installed change revision " + revision + " yet: retry", null, false, false);
        }
    }

    /** The request's context with its attributes sorted, as the tag covers it. */
    private static String canonical(JsonNode context) {
        Map<String, String> sorted = new TreeMap<>();
        context.fields().forEachRemaining(field -> sorted.put(field.getKey(), field.getValue().toString()));
        return sorted.toString();
    }

    /** One flag's OFREP item: success, or TARGETING_KEY_MISSING where only a split could have decided. */
    private static Object item(String key, FlagResult result, EvaluationContext context, boolean stale) {
        if (result.missingTargetingKey(context)) {
            return new OfrepResults.Failure(key, "TARGETING_KEY_MISSING",
                    "This flag is split by percentage and needs context.targetingKey", null);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("source", result.source().wireName());
        metadata.put("flagVersion", result.flag().version());
        if (stale) {
            metadata.put("stale", true);
        }
        return new OfrepResults.Success(key, result.value(), reason(result.source()), result.value() ? "on" : "off",
                metadata);
    }

    /** Our sources in OFREP's reason vocabulary. */
    static String reason(Source source) {
        return switch (source) {
            case DISABLED -> "DISABLED";
            case CUSTOMER_OVERRIDE, ORGANIZATION_OVERRIDE, RULE, PREREQUISITE -> "TARGETING_MATCH";
            case ROLLOUT, PERCENTAGE -> "SPLIT";
            case ENVIRONMENT, DEFAULT -> "STATIC";
        };
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

    private String etag(OfrepResults.Bulk bulk, String canonicalContext) {
        try {
            return '"'
                    + EntityTags.digest(json.writeValueAsBytes(bulk), canonicalContext.getBytes(StandardCharsets.UTF_8))
                    + '"';
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not compute the ETag", e);
        }
    }

    private static Response status(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    /** A request OFREP answers with an errorCode. */
    private static final class OfrepError extends RuntimeException {
        private final String code;

        OfrepError(String code, String details) {
            super(details, null, false, false);
            this.code = code;
        }
    }

}
