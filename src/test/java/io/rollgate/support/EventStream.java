package io.rollgate.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A text/event-stream read as a browser's EventSource would: events and comment lines, as they arrive. */
public final class EventStream implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One event as it arrived: its id, name and data, or a comment line. */
    public record Event(String id, String name, String data, String comment) {
    }

    private final Stream<String> lines;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    private EventStream(Stream<String> lines) {
        this.lines = lines;
        Thread reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream at {@code port} and {@code path}, resuming after {@code lastEventId} when not null. */
    public static EventStream open(int port, String path, String lastEventId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return new EventStream(response.body());
    }

    /** The next event with data, skipping comment lines; fails when none comes within {@code within}. */
    public Event next(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event != null && event.comment() == null) {
                return event;
            }
        }
        throw new AssertionError("no event within " + within);
    }

    /** The next event or comment line, or null when none comes within {@code within}. */
    public Event poll(Duration within) throws InterruptedException {
        return events.poll(within.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith(":")) {
                    events.add(new Event(null, null, null, line.substring(1).strip()));
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty() && data.length() > 0) {
                    events.add(new Event(id, name, data.toString(), null));
                    id = null;
                    name = null;
                    data.setLength(0);
                }
            }
        } catch (RuntimeException closed) {
            // closed by the test, or by the service
        } finally {
            ended.countDown();
        }
    }

    /** True once the service ended the stream (the client saw the end of the body) within {@code within}. */
    public boolean awaitEnd(Duration within) throws InterruptedException {
        return ended.await(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        lines.close();
    }
}
