package io.rollgate.live;

import io.rollgate.engine.Ids;
import io.rollgate.errors.ServiceBusyException;
import io.rollgate.http.OpenApiDefinition;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The widget's configuration as a stream: sent on connect and again whenever it changes. Public. */
@Path("/api/widget/config/stream")
@Tag(name = "Widget", description = "Resolved configuration for the chat widget (public)")
public class WidgetStreamResource {

    private final WidgetStreams streams;

    public WidgetStreamResource(WidgetStreams streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream of the resolved widget configuration (text/event-stream)", description = "Public. An event `config` with the configuration (as GET /api/widget/config) on connect "
            + "and whenever it changes for this customer and organization, whoever changed it and on whichever "
            + "replica; its id is the configuration's tag, so an EventSource reconnecting with Last-Event-ID "
            + "gets nothing until something changes. A comment line every rollgate.live.heartbeat (25 s) keeps "
            + "proxies from closing the connection. 503 with Retry-After when the replica holds its maximum of "
            + "streams: poll GET /api/widget/config instead.")
    @APIResponse(responseCode = "200", description = "The stream")
    @APIResponse(responseCode = "400", ref = OpenApiDefinition.BAD_REQUEST)
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    // on the connection's event loop, where the stream's writes go: run on a worker thread, the framework sent the
    // response head there after this returned, racing the first configuration written on the loop
    @NonBlocking
    public void stream(
            @Parameter(description = "Customer id: 1-128 of letters, digits, . _ : -") @QueryParam("customerId") String customerId,
            @Parameter(description = "Organization id: 1-128 of letters, digits, . _ : -") @QueryParam("organizationId") String organizationId,
            @Parameter(description = "The id of the last event received, sent by a reconnecting EventSource") @HeaderParam("Last-Event-ID") String lastEventId,
            @Context SseEventSink sink, @Context Sse sse) {
        Ids.optional("customerId", customerId);
        Ids.optional("organizationId", organizationId);
        if (!streams.open(customerId, organizationId, lastEventId, sink, sse)) {
            throw new ServiceBusyException("This replica holds as many streams as it may; poll /api/widget/config "
                    + "meanwhile");
        }
    }
}
