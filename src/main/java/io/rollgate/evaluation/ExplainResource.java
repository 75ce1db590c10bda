package io.rollgate.evaluation;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.catalog.RollgateConfig;
import io.rollgate.engine.EvaluationContext;
import io.rollgate.engine.Explanation;
import io.rollgate.engine.Ids;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Why a customer and organization get what they get: every step of each flag's resolution, in order. */
@Path("/api/admin/explain")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Feature flags", description = "Resolved flags per context, per-scope changes, emergency switch")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class ExplainResource {

    private final EvaluationService evaluations;
    private final RollgateConfig config;

    public ExplainResource(EvaluationService evaluations, RollgateConfig config) {
        this.evaluations = evaluations;
        this.config = config;
    }

    @RegisterForReflection
    public record StepView(@Schema(description = "kill switch, prerequisites, customer override, organization "
            + "override, rules, rollout, percentage or default") String step,
            @Schema(description = "decided, or passed (the next step was tried)") String outcome, String detail) {
    }

    @RegisterForReflection
    public record FlagExplanation(String flag,
            @Schema(description = "The value served: on or off, or a typed flag's variant value") Object value,
            @Schema(description = "The variant served: on or off for a boolean flag") String variant, String source,
            List<StepView> steps) {
    }

    @RegisterForReflection
    public record ExplainView(String customerId, String organizationId, String environment,
            @Schema(description = "What the caller should know about the question itself, such as an organization "
                    + "left out") List<String> warnings,
            @Schema(description = "Whether an override document came from last known good data (database down)") boolean stale,
            List<FlagExplanation> flags) {
    }

    @GET
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Why each flag has its value for a customer and organization", description = "Roles: admin, "
            + "operator, viewer. For one flag (flag, its key or rollout name) or every flag: each step of the "
            + "resolution in order (kill switch, prerequisites, customer override, organization override, rules, "
            + "rollout, percentage, default), what it decided or why it did not, from the same documents and "
            + "catalog a widget's answer uses.")
    @APIResponse(responseCode = "200", description = "The explanation, flag by flag")
    @APIResponse(responseCode = "404", description = "No such flag")
    public Uni<ExplainView> explain(@QueryParam("customerId") String customerId,
            @QueryParam("organizationId") String organizationId,
            @QueryParam("flag") @Parameter(description = "One flag; every flag when absent") String flag) {
        Ids.optional("customerId", customerId);
        Ids.optional("organizationId", organizationId);
        List<String> warnings = new ArrayList<>();
        if (customerId != null && organizationId == null) {
            warnings.add("No organization given: its overrides are left out, where a widget that sends its "
                    + "organization would get them");
        }
        if (customerId == null) {
            warnings.add("No customer given: the answer an anonymous visitor gets (no customer override, no "
                    + "bucket for percentages)");
        }
        EvaluationContext context = EvaluationContext.of(customerId, organizationId, config.environment());
        return evaluations.explain(context, flag == null || flag.isBlank() ? null : flag)
                .map(outcome -> new ExplainView(customerId, organizationId,
                        config.environment(), warnings, outcome.stale(),
                        outcome.result().stream().map(ExplainResource::view)
                                .toList()));
    }

    private static FlagExplanation view(Explanation explanation) {
        return new FlagExplanation(explanation.result().flag().key(), explanation.result().served(),
                explanation.result().variantName(), explanation.result().source().wireName(),
                explanation.steps().stream()
                        .map(s -> new StepView(s.step(), s.outcome().wireName(), s.detail())).toList());
    }
}
