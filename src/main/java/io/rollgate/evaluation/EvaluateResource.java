package io.rollgate.evaluation;

import io.rollgate.catalog.CatalogService;
import io.rollgate.catalog.RollgateConfig;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.engine.FlagDefinition;
import io.rollgate.errors.NotFoundException;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.EvaluationAccess;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** evaluateFlag and isFeatureEnabled over HTTP. Public, like the widget config. */
@Path("/api/flags/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Evaluation", description = "Evaluate one flag for a context (public unless "
        + "rollgate.security.evaluation-requires-token; then role evaluation or admin)")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "404", description = "No such flag")
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class EvaluateResource {

    private final EvaluationService evaluations;
    private final CatalogService catalogs;
    private final RollgateConfig config;
    private final Clock clock;
    private final EvaluationAccess access;

    public EvaluateResource(EvaluationService evaluations, CatalogService catalogs, RollgateConfig config, Clock clock,
            EvaluationAccess access) {
        this.access = access;
        this.evaluations = evaluations;
        this.catalogs = catalogs;
        this.config = config;
        this.clock = clock;
    }

    @POST
    @Path("/evaluate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "evaluateFlag: the value and the reason", description = "Public. Reasons: disabled, prerequisite, customer_override, organization_override, rule, "
            + "rollout, percentage, environment, default.")
    @APIResponse(responseCode = "200", description = "The evaluation")
    public Uni<EvaluateResult> evaluate(@PathParam("name") String name, EvaluateRequest request) {
        Map<String, Object> context = request == null || request.context() == null ? Map.of() : request.context();
        return evaluate(name, context);
    }

    @GET
    @Path("/enabled")
    @Operation(summary = "isFeatureEnabled: the boolean alone", description = "Public. Context as query parameters.")
    @APIResponse(responseCode = "200", description = "{name, enabled}")
    public Uni<Map<String, Object>> enabled(@PathParam("name") String name, @QueryParam("userId") String userId,
            @QueryParam("customerId") String customerId, @QueryParam("groupId") String groupId,
            @QueryParam("organizationId") String organizationId, @QueryParam("environment") String environment) {
        Map<String, Object> context = new HashMap<>();
        putIfPresent(context, "userId", userId);
        putIfPresent(context, "customerId", customerId);
        putIfPresent(context, "groupId", groupId);
        putIfPresent(context, "organizationId", organizationId);
        putIfPresent(context, "environment", environment);
        return evaluate(name, context).map(result -> Map.of("name", result.name(), "enabled", result.enabled()));
    }

    private Uni<EvaluateResult> evaluate(String name, Map<String, Object> attributes) {
        return access.guard(() -> evaluateNow(name, attributes));
    }

    private Uni<EvaluateResult> evaluateNow(String name, Map<String, Object> attributes) {
        FlagDefinition flag = catalogs.require().find(name)
                .orElseThrow(() -> new NotFoundException("No flag named " + name));
        EvaluationContext context = EvaluationContext.fromAttributes(attributes, config.environment());
        return evaluations.evaluate(flag, context).map(outcome -> new EvaluateResult(flag.key(),
                outcome.result().value(), outcome.result().source().wireName(), outcome.stale(), clock.instant(),
                outcome.result().served(), outcome.result().variantName()));
    }

    private static void putIfPresent(Map<String, Object> context, String key, String value) {
        if (value != null) {
            context.put(key, value);
        }
    }
}
