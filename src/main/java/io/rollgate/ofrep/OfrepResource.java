package io.rollgate.ofrep;

import io.rollgate.security.EvaluationAccess;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP 0.3.0), so OpenFeature SDKs use Rollgate with the
 * stock OFREP provider. Errors here take OFREP's shapes (errorCode, errorDetails), not problem+json,
 * because that is what the providers parse. The body is read as text so malformed JSON is OFREP's
 * PARSE_ERROR too; {@link OfrepService} does the protocol's work.
 */
@Path("/ofrep/v1/evaluate/flags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@Tag(name = "OFREP", description = "OpenFeature Remote Evaluation Protocol (public unless "
        + "rollgate.security.evaluation-requires-token; then role evaluation or admin)")
public class OfrepResource {

    private final OfrepService ofrep;
    private final EvaluationAccess access;

    public OfrepResource(OfrepService ofrep, EvaluationAccess access) {
        this.ofrep = ofrep;
        this.access = access;
    }

    @POST
    @Path("/{key}")
    @Operation(summary = "OFREP single-flag evaluation", description = "Public. Body {context: {targetingKey, ...attributes}}. 404 FLAG_NOT_FOUND, 400 "
            + "INVALID_CONTEXT, PARSE_ERROR or TARGETING_KEY_MISSING (a percentage needs a targeting key).")
    @APIResponse(responseCode = "200", description = "serverEvaluationSuccess")
    @APIResponse(responseCode = "400", description = "evaluationFailure")
    @APIResponse(responseCode = "404", description = "flagNotFound")
    public Uni<Response> evaluate(@PathParam("key") String key, String body) {
        return access.guard(() -> ofrep.evaluate(key, body).map(OfrepResource::response));
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
        String eventStream = uri.getBaseUriBuilder().path("/ofrep/v1/event-stream").build().toString();
        return access.guard(() -> ofrep.evaluateAll(body, ifNoneMatch, flagConfigEtag, flagConfigLastModified,
                eventStream).map(OfrepResource::response));
    }

    private static Response response(OfrepService.Answer answer) {
        Response.ResponseBuilder response = answer.status() == 304
                ? Response.notModified()
                : Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(answer.body());
        if (answer.etag() != null) {
            response.header("ETag", answer.etag());
        }
        if (answer.retry()) {
            response.header("Retry-After", 1);
        }
        return response.build();
    }
}
