package io.rollgate.overrides;

import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.rollgate.audit.Reasons;
import io.rollgate.engine.Ids;
import io.rollgate.errors.InvalidInputException;
import io.rollgate.http.OpenApiDefinition;
import io.rollgate.http.Paging;
import io.rollgate.security.Actors;
import io.rollgate.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Whole override documents per customer and per organization (set/clear). */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Overrides", description = "Partial flag documents per customer and per organization")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
@APIResponse(responseCode = "401", ref = OpenApiDefinition.UNAUTHORIZED)
@APIResponse(responseCode = "403", ref = OpenApiDefinition.FORBIDDEN)
@APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
public class OverrideResource {

    /** Most holders one page of the holders listing carries. */
    static final int MAX_HOLDERS_PAGE_SIZE = 200;

    private final OverrideService service;
    private final SecurityIdentity identity;

    public OverrideResource(OverrideService service, SecurityIdentity identity) {
        this.service = service;
        this.identity = identity;
    }

    /** An organization-operator token reaches its own organization's document and nothing else. */
    private void requireScope(Scope scope, String id) {
        String bound = identity.getAttribute(Roles.ORGANIZATION_ATTRIBUTE);
        if (bound != null && (scope != Scope.ORGANIZATION || !bound.equals(id))) {
            throw new ForbiddenException();
        }
    }

    @GET
    @Path("/overrides")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "Customers or organizations holding an override document", description = "Roles: admin, "
            + "operator, viewer (not organization-operator). scope is customer (default) or organization; most "
            + "recently changed first, with how many flags each document sets; paged (size 1-200).")
    @APIResponse(responseCode = "200", description = "One page of holders")
    public Uni<OverrideHolders> holders(@QueryParam("scope") @DefaultValue("customer") String scope,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        if (identity.getAttribute(Roles.ORGANIZATION_ATTRIBUTE) != null) {
            throw new ForbiddenException();
        }
        Scope parsed = switch (scope) {
            case "customer" -> Scope.CUSTOMER;
            case "organization" -> Scope.ORGANIZATION;
            default -> throw new InvalidInputException("scope", "must be customer or organization");
        };
        Paging.check(page, size, MAX_HOLDERS_PAGE_SIZE);
        return service.holders(parsed, page, size);
    }

    @GET
    @Path("/customers/{customerId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER })
    @Operation(summary = "The customer's stored override document", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The stored document; empty when there is none")
    public Uni<OverrideView> getCustomer(@PathParam("customerId") String customerId) {
        return view(Scope.CUSTOMER, customerId);
    }

    @PUT
    @Path("/customers/{customerId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Replace the customer's override document", description = "Roles: admin, operator (organization-operator for its own organization). Writes one audit row per changed leaf in the same transaction.")
    @APIResponse(responseCode = "200", description = "Stored; the document now held and the audit entries written")
    @APIResponse(responseCode = "409", description = "The document changed since the version sent")
    public Uni<OverrideChange> replaceCustomer(@PathParam("customerId") String customerId, OverrideRequest request,
            @Context SecurityContext security) {
        return replace(Scope.CUSTOMER, customerId, request, security);
    }

    @PATCH
    @Path("/customers/{customerId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Merge a partial document into the customer's overrides", description = "Roles: admin, operator. Leaf by leaf; a null leaf removes that override.")
    @APIResponse(responseCode = "200", description = "Stored; the document now held and the audit entries written")
    @APIResponse(responseCode = "409", description = "The document changed since the version sent")
    public Uni<OverrideChange> mergeCustomer(@PathParam("customerId") String customerId, OverrideRequest request,
            @Context SecurityContext security) {
        return merge(Scope.CUSTOMER, customerId, request, security);
    }

    @DELETE
    @Path("/customers/{customerId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR })
    @Operation(summary = "Clear every override of the customer", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = "Stored; the document now held and the audit entries written")
    @APIResponse(responseCode = "409", description = "The document changed since the version sent")
    public Uni<OverrideChange> clearCustomer(@PathParam("customerId") String customerId,
            @QueryParam("reason") @Parameter(description = Reasons.DESCRIPTION, required = true) String reason,
            @QueryParam("version") @Parameter(description = "The version last read; 409 if the document changed since") String version,
            @Context SecurityContext security) {
        return clear(Scope.CUSTOMER, customerId, version, reason, security);
    }

    @GET
    @Path("/organizations/{organizationId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER, Roles.ORGANIZATION_OPERATOR })
    @Operation(summary = "The organization's stored override document", description = "Roles: admin, operator, viewer.")
    @APIResponse(responseCode = "200", description = "The stored document; empty when there is none")
    public Uni<OverrideView> getOrganization(@PathParam("organizationId") String organizationId) {
        return view(Scope.ORGANIZATION, organizationId);
    }

    @PUT
    @Path("/organizations/{organizationId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.ORGANIZATION_OPERATOR })
    @Operation(summary = "Replace the organization's override document", description = "Roles: admin, operator (organization-operator for its own organization). Writes one audit row per changed leaf in the same transaction.")
    @APIResponse(responseCode = "200", description = "Stored; the document now held and the audit entries written")
    @APIResponse(responseCode = "409", description = "The document changed since the version sent")
    public Uni<OverrideChange> replaceOrganization(@PathParam("organizationId") String organizationId,
            OverrideRequest request, @Context SecurityContext security) {
        return replace(Scope.ORGANIZATION, organizationId, request, security);
    }

    @PATCH
    @Path("/organizations/{organizationId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.ORGANIZATION_OPERATOR })
    @Operation(summary = "Merge a partial document into the organization's overrides", description = "Roles: admin, operator. Leaf by leaf; a null leaf removes that override.")
    @APIResponse(responseCode = "200", description = "Stored; the document now held and the audit entries written")
    @APIResponse(responseCode = "409", description = "The document changed since the version sent")
    public Uni<OverrideChange> mergeOrganization(@PathParam("organizationId") String organizationId,
            OverrideRequest request, @Context SecurityContext security) {
        return merge(Scope.ORGANIZATION, organizationId, request, security);
    }

    @DELETE
    @Path("/organizations/{organizationId}/flags")
    @RolesAllowed({ Roles.ADMIN, Roles.OPERATOR, Roles.ORGANIZATION_OPERATOR })
    @Operation(summary = "Clear every override of the organization", description = "Roles: admin, operator.")
    @APIResponse(responseCode = "200", description = "Stored; the document now held and the audit entries written")
    @APIResponse(responseCode = "409", description = "The document changed since the version sent")
    public Uni<OverrideChange> clearOrganization(@PathParam("organizationId") String organizationId,
            @QueryParam("reason") @Parameter(description = Reasons.DESCRIPTION, required = true) String reason,
            @QueryParam("version") @Parameter(description = "The version last read; 409 if the document changed since") String version,
            @Context SecurityContext security) {
        return clear(Scope.ORGANIZATION, organizationId, version, reason, security);
    }

    private Uni<OverrideView> view(Scope scope, String id) {
        Ids.required(scope.idField(), id);
        requireScope(scope, id);
        return service.get(scope, id)
                .map(document -> new OverrideView(scope.wireName(), id, document.toNested(), document.version()));
    }

    private Uni<OverrideChange> replace(Scope scope, String id, OverrideRequest request, SecurityContext security) {
        Ids.required(scope.idField(), id);
        requireScope(scope, id);
        OverrideRequest body = requireBody(scope, id, request);
        return service.replace(scope, id, body.flags(), body.version(), Reasons.require(body.reason()),
                Actors.of(security));
    }

    private Uni<OverrideChange> merge(Scope scope, String id, OverrideRequest request, SecurityContext security) {
        Ids.required(scope.idField(), id);
        requireScope(scope, id);
        OverrideRequest body = requireBody(scope, id, request);
        return service.merge(scope, id, body.flags(), body.version(), Reasons.require(body.reason()),
                Actors.of(security));
    }

    private Uni<OverrideChange> clear(Scope scope, String id, String version, String reason,
            SecurityContext security) {
        Ids.required(scope.idField(), id);
        requireScope(scope, id);
        return service.clear(scope, id, version, Reasons.require(reason), Actors.of(security));
    }

    private static OverrideRequest requireBody(Scope scope, String id, OverrideRequest request) {
        if (request == null) {
            throw new InvalidInputException("body", "is required");
        }
        // what a GET answers names its scope and id: sent back unchanged they are accepted, never a move
        if (request.scope() != null && !request.scope().equals(scope.wireName())) {
            throw new InvalidInputException("scope", "is read-only: this document is the " + scope.wireName() + "'s");
        }
        if (request.id() != null && !request.id().equals(id)) {
            throw new InvalidInputException("id", "is read-only: this document is " + id + "'s");
        }
        return request;
    }

}
