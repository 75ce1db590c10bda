package io.rollgate.live;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/** Where one stream's frames go. */
interface Wire {

    boolean isClosed();

    /** Writes {@code frame}; completes once it is on the socket. */
    Future<Void> write(Frame frame);

    void close();

    /** Has {@code closed} run when the client goes away, where the wire hears of it (else a write finds out). */
    default void onClosed(Runnable closed) {
    }

    /**
     * A response a route of our own opened as a stream (its head set, not necessarily sent): the same bytes are
     * written to every stream a frame goes to, and the stream learns at once that its client went away.
     */
    static Wire of(HttpServerResponse response) {
        return new Wire() {
            @Override
            public boolean isClosed() {
                return response.closed() || response.ended();
            }

            @Override
            public Future<Void> write(Frame frame) {
                return response.write(frame.bytes());
            }

            @Override
            public void close() {
                if (!isClosed()) {
                    response.end();
                }
            }

            @Override
            public void onClosed(Runnable closed) {
                response.closeHandler(ignored -> closed.run());
            }
        };
    }

    /** A stream the framework opened and writes (each frame handed to it as an event of its own). */
    static Wire of(SseEventSink sink, Sse sse) {
        return new Wire() {
            @Override
            public boolean isClosed() {
                return sink.isClosed();
            }

            @Override
            public Future<Void> write(Frame frame) {
                return Future.fromCompletionStage(sink.send(frame.toEvent(sse))).mapEmpty();
            }

            @Override
            public void close() {
                sink.close();
            }
        };
    }
}
