package io.rollgate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EntityTagsTest {

    @Test
    void aTagKeptAsNumbersIsWrittenAsTheHexDigestIs() {
        for (String text : new String[]{ "", "{\"a\":1}", "a widget configuration of some length, ".repeat(20) }) {
            byte[] part = text.getBytes(StandardCharsets.UTF_8);
            ByteBuffer digest = ByteBuffer.wrap(EntityTags.digestBytes(part));
            assertEquals(12, digest.capacity());
            String weak = EntityTags.weak(digest.getLong(), digest.getInt());
            assertEquals("W/\"" + EntityTags.digest(part) + '"', weak);
            assertTrue(weak.matches("W/\"[0-9a-f]{24}\""), weak);
            digest.rewind();
            assertEquals(weak, EntityTags.weakHeader(digest.getLong(), digest.getInt()).toString());
        }
        assertNotEquals(EntityTags.digest("a".getBytes(StandardCharsets.UTF_8)),
                EntityTags.digest("b".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ifNoneMatchComparesWeaklyAndAcceptsAListOrAStar() {
        String ours = "W/\"0123456789abcdef01234567\"";
        assertTrue(EntityTags.matches(ours, ours));
        assertTrue(EntityTags.matches("\"0123456789abcdef01234567\"", ours));
        assertTrue(EntityTags.matches("W/\"ffffffffffffffffffffffff\", " + ours, ours));
        assertTrue(EntityTags.matches("*", ours));
        assertFalse(EntityTags.matches("W/\"ffffffffffffffffffffffff\"", ours));
        assertFalse(EntityTags.matches(null, ours));
    }
}
