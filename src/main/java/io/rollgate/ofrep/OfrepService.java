package io.rollgate.ofrep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollgate.catalog.CatalogService;
import io.rollgate.engine.Catalog;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.engine.FlagResult;
import io.rollgate.engine.Source;
import io.rollgate.evaluation.EvaluationService;
import io.rollgate.http.EntityTags;
import io.rollgate.live.OfrepStreams;
import io.rollgate.ofrep.OfrepRequests.OfrepError;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenFeature Remote Evaluation Protocol over the evaluation: a request's context read the protocol's way, the
 * flags evaluated, each answer in OFREP's shapes and reasons, the bulk answer tagged, and a refetch held until this
 * replica has installed the change it names.
 */
@ApplicationScoped
public class OfrepService {

    static final int INACTIVITY_DELAY_SEC = 120;

    /** An answer for the HTTP edge to send: status, body, and the bulk answer's tag. */
    record Answer(int status, Object body, String etag, boolean retry) {

        static Answer of(int status, Object body) {
            return new Answer(status, body, null, false);
        }
    }

    private final EvaluationService evaluations;
    private final CatalogService catalogs;
    private final OfrepRequests requests;
    private final OfrepStreams streams;
    private final ObjectMapper json;

    public OfrepService(EvaluationService evaluations, CatalogService catalogs, OfrepRequests requests,
            OfrepStreams streams, ObjectMapper json) {
        this.evaluations = evaluations;
        this.catalogs = catalogs;
        this.requests = requests;
        this.streams = streams;
        this.json = json;
    }

    /** One flag for the body's context: 200, 400 with OFREP's error code, or 404 FLAG_NOT_FOUND. */
    Uni<Answer> evaluate(String key, String body) {
        EvaluationContext context;
        try {
            context = requests.context(body).evaluation();
        } catch (OfrepError e) {
            return Uni.createFrom().item(Answer.of(400, new OfrepResults.Failure(key, e.code, e.getMessage(), null)));
        }
        Catalog catalog = catalogs.require();
        FlagDefinition flag = catalog.find(key).orElse(null);
        if (flag == null) {
            return Uni.createFrom().item(Answer.of(404, new OfrepResults.Failure(key, "FLAG_NOT_FOUND",
                    "No flag named " + key, null)));
        }
        return evaluations.evaluate(flag, context).map(outcome -> {
            Object item = item(key, outcome.result(), context, outcome.stale());
            return Answer.of(item instanceof OfrepResults.Failure ? 400 : 200, item);
        });
    }

    /**
     * Every flag for the body's context, tagged over the results and the context: 304 when {@code ifNoneMatch} still
     * matches; 503 (retry) when the refetch names a change not installed here within a second.
     */
    Uni<Answer> evaluateAll(String body, String ifNoneMatch, String flagConfigEtag, String flagConfigLastModified,
            String eventStreamUrl) {
        OfrepRequests.Context context;
        long wanted;
        try {
            context = requests.context(body);
            wanted = OfrepRequests.configRevision(flagConfigEtag, flagConfigLastModified);
        } catch (OfrepError e) {
            return Uni.createFrom().item(Answer.of(400, new OfrepResults.BulkFailure(e.code, e.getMessage())));
        }
        List<OfrepResults.EventStream> eventStreams = List.of(new OfrepResults.EventStream("sse", eventStreamUrl,
                INACTIVITY_DELAY_SEC));
        return caughtUp(wanted).chain(() -> evaluations.evaluateAll(context.evaluation(), outcome -> {
            List<Object> items = new ArrayList<>();
            outcome.result().results().forEach(result -> items.add(item(result.flag().key(), result,
                    context.evaluation(), outcome.stale())));
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("version", outcome.catalog().version());
            OfrepResults.Bulk bulk = new OfrepResults.Bulk(items, metadata, null);
            // the tag covers the context too: a client whose context changed never gets another context's 304
            String etag = etag(bulk, context.canonical());
            if (EntityTags.matches(ifNoneMatch, etag)) {
                return new Answer(304, null, etag, false);
            }
            return new Answer(200, bulk.withEventStreams(eventStreams), etag, false);
        })).onFailure(NotInstalled.class).recoverWithItem(e -> new Answer(503,
                new OfrepResults.BulkFailure("GENERAL", e.getMessage()), null, true));
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
        if (result.flag().typed()) {
            metadata.put("type", result.flag().variants().type().wireName());
        }
        return new OfrepResults.Success(key, result.served(), reason(result), result.variantName(), metadata);
    }

    /**
     * A typed flag's reason: a rule's variant is TARGETING_MATCH, a split SPLIT, the default variant DEFAULT when
     * something could have decided otherwise and STATIC when nothing could.
     */
    static String reason(FlagResult result) {
        if (!result.flag().typed()) {
            return reason(result.source());
        }
        return switch (result.source()) {
            case DISABLED -> "DISABLED";
            case RULE -> "TARGETING_MATCH";
            case PERCENTAGE -> "SPLIT";
            default -> result.flag().rules().isEmpty() && result.flag().variants().split().isEmpty()
                    && result.flag().prerequisites().isEmpty() ? "STATIC" : "DEFAULT";
        };
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

    private String etag(OfrepResults.Bulk bulk, String canonicalContext) {
        try {
            return '"'
                    + EntityTags.digest(json.writeValueAsBytes(bulk), canonicalContext.getBytes(StandardCharsets.UTF_8))
                    + '"';
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not compute the ETag", e);
        }
    }

}
