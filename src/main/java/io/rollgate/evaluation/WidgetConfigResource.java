package io.rollgate.evaluation;

import io.rollgate.engine.Ids;
import io.rollgate.http.OpenApiDefinition;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The widget's hot path: the resolved flag configuration for one customer. Public. */
@Path("/api/widget/config")
@Tag(name = "Widget", description = "Resolved configuration for the chat widget (public)")
public class WidgetConfigResource {

    private final WidgetConfigService service;

    public WidgetConfigResource(WidgetConfigService service) {
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolved widget configuration", description = "Public. Nested flag values (sessionPersistence.phase1...) plus evaluation {source, "
            + "evaluatedAt, stale}. Without customerId the environment configuration is returned. Served "
            + "from memory on a warm cache; with the database down, from last known good data "
            + "(evaluation.stale = true).")
    @APIResponse(responseCode = "200", description = "The configuration")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<Map<String, Object>> config(
            @Parameter(description = "Customer id: 1-128 of letters, digits, . _ : -") @QueryParam("customerId") String customerId,
            @Parameter(description = "Organization id: 1-128 of letters, digits, . _ : -") @QueryParam("organizationId") String organizationId) {
        Ids.optional("customerId", customerId);
        Ids.optional("organizationId", organizationId);
        return service.resolve(customerId, organizationId, resolved -> {
            Map<String, Object> body = resolved.evaluation().nestedValues();
            body.put("evaluation", EvaluationInfo.of(resolved));
            return body;
        });
    }
}
