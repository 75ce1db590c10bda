package io.rollgate.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The framing of a stream's messages, as an EventSource reads them. */
class FrameTest {

    @Test
    void anEventIsItsIdNameAndDataEndedByABlankLine() {
        Frame frame = Frame.event("config", "5f2a", "{\"a\":\"é\"}");

        assertEquals("id:5f2a\nevent:config\ndata:{\"a\":\"é\"}\n\n", frame.bytes().toString(StandardCharsets.UTF_8));
        assertTrue(frame.event());
        assertEquals("5f2a", frame.id());
    }

    @Test
    void dataOfSeveralLinesTakesADataLineEachWhateverEndsThem() {
        Frame frame = Frame.event("message", "7", "one\ntwo\r\nthree\rfour");

        assertEquals("id:7\nevent:message\ndata:one\ndata:two\ndata:three\ndata:four\n\n",
                frame.bytes().toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCommentIsNoEvent() {
        Frame frame = Frame.comment("keep-alive");

        assertEquals(":keep-alive\n\n", frame.bytes().toString(StandardCharsets.UTF_8));
        assertFalse(frame.event());
    }
}
