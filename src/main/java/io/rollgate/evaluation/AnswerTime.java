package io.rollgate.evaluation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes the evaluation time into an answer serialized without it. The answer's tag covers the bytes without the
 * time, so serializing once and adding the time after is both the tag's input and the answer; and a replica
 * rendering for customers it has not seen formats the same second thousands of times, so the second's text is
 * formatted once and only its fraction per answer.
 */
final class AnswerTime {

    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final byte[] FIELD = ",\"evaluatedAt\":\"".getBytes(StandardCharsets.US_ASCII);

    /** The last second formatted: one immutable pair, so readers on any thread see a matching text. */
    private static final class Second {

        private final long epochSecond;
        private final byte[] text;

        Second(long epochSecond, byte[] text) {
            this.epochSecond = epochSecond;
            this.text = text;
        }

        long epochSecond() {
            return epochSecond;
        }

        byte[] text() {
            return text;
        }
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, new byte[0]);

    private AnswerTime() {
    }

    /**
     * {@code untimed} with {@code "evaluatedAt":"<at>"} as the last field of its last object (the evaluation, which
     * ends the answer).
     */
    static byte[] withEvaluatedAt(byte[] untimed, Instant at) {
        int end = untimed.length;
        if (end < 2 || untimed[end - 1] != '}' || untimed[end - 2] != '}') {
            throw new IllegalArgumentException("An answer must end with the evaluation object");
        }
        byte[] second = second(at.getEpochSecond());
        byte[] fraction = fraction(at.getNano());
        byte[] timed = new byte[end + FIELD.length + second.length + fraction.length + 2];
        int next = end - 2;
        System.arraycopy(untimed, 0, timed, 0, next);
        System.arraycopy(FIELD, 0, timed, next, FIELD.length);
        next += FIELD.length;
        System.arraycopy(second, 0, timed, next, second.length);
        next += second.length;
        System.arraycopy(fraction, 0, timed, next, fraction.length);
        next += fraction.length;
        timed[next++] = 'Z';
        timed[next++] = '"';
        timed[next++] = '}';
        timed[next] = '}';
        return timed;
    }

    private static byte[] second(long epochSecond) {
        Second known = last;
        if (known.epochSecond() != epochSecond) {
            known = new Second(epochSecond,
                    SECOND.format(Instant.ofEpochSecond(epochSecond)).getBytes(StandardCharsets.US_ASCII));
            last = known;
        }
        return known.text();
    }

    /** As ISO-8601 instants write it: none when whole, else milli-, micro- or nanoseconds, whichever is exact. */
    private static byte[] fraction(int nano) {
        if (nano == 0) {
            return new byte[0];
        }
        int digits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        int value = digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1_000 : nano;
        byte[] text = new byte[digits + 1];
        text[0] = '.';
        for (int i = digits; i > 0; i--) {
            text[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return text;
    }
}
