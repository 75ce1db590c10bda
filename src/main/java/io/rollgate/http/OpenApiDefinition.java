package io.rollgate.http;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header and the bearer-token scheme every admin operation names. */
@OpenAPIDefinition(info = @Info(title = "Rollgate", version = "0.1.0", description = "Feature flags and progressive rollouts for the chat widget. Admin endpoints need a bearer "
        + "token; each operation's description names the roles it accepts. Errors are "
        + "application/problem+json.", license = @License(name = "Apache-2.0")), components = @Components(responses = {
                @APIResponse(name = OpenApiDefinition.BAD_REQUEST, responseCode = "400", description = "Invalid input; nothing was stored", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = OpenApiDefinition.UNAUTHORIZED, responseCode = "401", description = "No valid bearer token", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = OpenApiDefinition.FORBIDDEN, responseCode = "403", description = "The token's role may not do this", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class))),
                @APIResponse(name = OpenApiDefinition.UNAVAILABLE, responseCode = "503", description = "Database unavailable (or catalog not loaded yet); nothing was stored, retry "
                        + "after Retry-After", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
        }))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", description = "A token from rollgate.security.*-token")
public class OpenApiDefinition extends Application {

    /** Names of the shared problem responses, for {@code @APIResponse(ref = ...)} on operations. */
    public static final String BAD_REQUEST = "BadRequest";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String FORBIDDEN = "Forbidden";
    public static final String UNAVAILABLE = "Unavailable";
}
