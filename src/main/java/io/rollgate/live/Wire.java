package io.rollgate.live;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;

/** Where one stream's frames go: written to its response, closed through the framework's sink. */
interface Wire {

    boolean isClosed();

    /** Writes {@code bytes}, which stay unconsumed for the next stream; completes once they are on the socket. */
    Future<Void> write(Buffer bytes);

    void close();

    /** The stream of a request: its Vert.x response, and the sink the framework ends it with. */
    static Wire of(SseEventSink sink, HttpServerResponse response) {
        return new Wire() {
            @Override
            public boolean isClosed() {
                return sink.isClosed();
            }

            @Override
            public Future<Void> write(Buffer bytes) {
                if (!response.headWritten()) {
                    // the framework sends the head once the stream's method has returned; a first configuration
                    // written before that (from memory) sends it, with what the framework's own would say
                    response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, MediaType.SERVER_SENT_EVENTS)
                            .setChunked(true);
                }
                return response.write(bytes);
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }
}
