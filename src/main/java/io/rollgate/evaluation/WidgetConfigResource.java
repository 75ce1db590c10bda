package io.rollgate.evaluation;

import io.rollgate.engine.Ids;
import io.rollgate.http.EntityTags;
import io.rollgate.http.OpenApiDefinition;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/** The widget's hot path: the resolved flag configuration for one customer. Public. */
@Path("/api/widget/config")
@Tag(name = "Widget", description = "Resolved configuration for the chat widget (public)")
public class WidgetConfigResource {

    private final WidgetConfigService service;
    private final String cacheControl;

    public WidgetConfigResource(WidgetConfigService service, WidgetSettings settings) {
        this.service = service;
        this.cacheControl = "public, max-age=" + settings.maxAge().toSeconds();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Resolved widget configuration", description = "Public. Nested flag values (sessionPersistence.phase1...) plus evaluation {source, "
            + "evaluatedAt, stale}. Without customerId the environment configuration is returned. Served "
            + "from memory on a warm cache; with the database down, from last known good data "
            + "(evaluation.stale = true). Answers carry a weak ETag over everything that decides them (not the "
            + "evaluation time) and Cache-Control max-age (five minutes by default); If-None-Match with a "
            + "current tag is 304 without a body.")
    @APIResponse(responseCode = "200", description = "The configuration", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "304", description = "Unchanged since the tag in If-None-Match")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    public Uni<RestResponse<byte[]>> config(
            @Parameter(description = "Customer id: 1-128 of letters, digits, . _ : -") @QueryParam("customerId") String customerId,
            @Parameter(description = "Organization id: 1-128 of letters, digits, . _ : -") @QueryParam("organizationId") String organizationId,
            @Parameter(description = "An ETag of an earlier answer: 304 while it is still current") @HeaderParam("If-None-Match") String ifNoneMatch,
            @Context HttpServerResponse response) {
        Ids.optional("customerId", customerId);
        Ids.optional("organizationId", organizationId);
        return service.rendered(customerId, organizationId, config -> {
            // the tag and the freshness go straight onto the answer's headers (through the response builder each
            // one went into a sorted map twice); an answer from last known good data is not to be kept: the next
            // one may be current again
            String etag = config.etag();
            response.putHeader(HttpHeaders.ETAG, etag)
                    .putHeader(HttpHeaders.CACHE_CONTROL, config.stale() ? "no-cache" : cacheControl);
            // typed as bytes, so the REST layer picks its writer once, not on every answer; the media type is the
            // one @Produces names
            return EntityTags.matches(ifNoneMatch, etag)
                    ? RestResponse.<byte[]>notModified()
                    : RestResponse.ok(config.body());
        });
    }
}
