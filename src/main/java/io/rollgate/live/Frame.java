package io.rollgate.live;

import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.nio.charset.StandardCharsets;

/**
 * One message of a text/event-stream, serialized once however many streams it is written to. Handed to the
 * framework as an event, the same configuration was serialized again for every stream (through three strings and
 * as many copies of its bytes): a fan-out to ten thousand streams made a young collection every 15 MB.
 */
final class Frame {

    /** What goes on the wire, written as it is to each stream: a Vert.x buffer is not consumed by a write. */
    private final Buffer bytes;
    /** The event's id and name, both null for a comment. */
    private final String id;
    private final String name;
    /** The event's data, or the comment's text (UTF-8). */
    private final byte[] data;
    /** The same message as the framework's event, made once for all the framework's streams it goes to. */
    private volatile OutboundSseEvent event;

    private Frame(Buffer bytes, String id, String name, byte[] data) {
        this.bytes = bytes;
        this.id = id;
        this.name = name;
        this.data = data;
    }

    Buffer bytes() {
        return bytes;
    }

    String id() {
        return id;
    }

    /** Whether this is an event (a comment, such as a heartbeat, is not). */
    boolean event() {
        return name != null;
    }

    /** The same message for a stream the framework writes (an authenticated one, whose request it opened). */
    OutboundSseEvent toEvent(Sse sse) {
        OutboundSseEvent built = event;
        if (built == null) { // two streams may both build it: the same immutable event either way
            String text = new String(data, StandardCharsets.UTF_8);
            built = event()
                    ? sse.newEventBuilder().name(name).id(id).data(text).build()
                    : sse.newEventBuilder().comment(text).build();
            event = built;
        }
        return built;
    }

    /**
     * An event named {@code name} with {@code id} and {@code data} (UTF-8), in the framing the framework used: a
     * {@code data:} line per line of the data, whatever ends its lines.
     */
    static Frame event(String name, String id, byte[] data) {
        Buffer bytes = Buffer.buffer(data.length + id.length() + name.length() + 24);
        bytes.appendString("id:").appendString(id).appendString("\nevent:").appendString(name);
        int line = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n' || data[i] == '\r') {
                dataLine(bytes, data, line, i);
                if (data[i] == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                    i++;
                }
                line = i + 1;
            }
        }
        dataLine(bytes, data, line, data.length);
        return new Frame(bytes.appendString("\n\n"), id, name, data);
    }

    static Frame event(String name, String id, String data) {
        return event(name, id, data.getBytes(StandardCharsets.UTF_8));
    }

    /** A comment: ignored by the client, it keeps the connection (and the proxies on its way) from going idle. */
    static Frame comment(String text) {
        return new Frame(Buffer.buffer(":" + text + "\n\n"), null, null, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void dataLine(Buffer bytes, byte[] data, int from, int to) {
        bytes.appendString("\ndata:").appendBytes(data, from, to - from);
    }
}
