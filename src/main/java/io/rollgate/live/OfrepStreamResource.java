package io.rollgate.live;

import io.rollgate.errors.ServiceBusyException;
import io.rollgate.http.OpenApiDefinition;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The OFREP event stream the bulk evaluation names in eventStreams. Public: it tells only that something changed. */
@Path("/ofrep/v1/event-stream")
@Tag(name = "OFREP", description = "OpenFeature Remote Evaluation Protocol (public unless "
        + "rollgate.security.evaluation-requires-token; then role evaluation or admin)")
public class OfrepStreamResource {

    private final OfrepStreams streams;

    public OfrepStreamResource(OfrepStreams streams) {
        this.streams = streams;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "OFREP event stream (text/event-stream, ADR-0008)", description = "Public. Event `message` with data {type: refetchEvaluation, etag, lastModified} "
            + "whenever a change could alter any evaluation (flags, kill switches, rollouts, overrides), made "
            + "anywhere; re-fetch the bulk evaluation with flagConfigEtag and flagConfigLastModified. A comment "
            + "line every rollgate.live.heartbeat keeps proxies open; 503 with Retry-After when the replica "
            + "holds its maximum of streams (poll instead).")
    @APIResponse(responseCode = "200", description = "The stream")
    @APIResponse(responseCode = "503", ref = OpenApiDefinition.UNAVAILABLE)
    // on the connection's event loop, where the stream's writes go: run on a worker thread, the framework sent the
    // response head there after this returned, racing the first configuration written on the loop
    @NonBlocking
    public void stream(@Context SseEventSink sink, @Context Sse sse) {
        if (!streams.open(sink, sse)) {
            throw new ServiceBusyException("This replica holds as many streams as it may; poll the bulk "
                    + "evaluation meanwhile");
        }
    }
}
