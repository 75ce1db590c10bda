package io.rollgate.http;

import io.netty.util.AsciiString;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** Entity tags of answers the service computes (widget configurations, OFREP bulk evaluations). */
public final class EntityTags {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Copied for each tag: looking the algorithm up among the providers cost more than hashing an answer. */
    private static final MessageDigest SHA_256 = sha256();

    private EntityTags() {
    }

    /** A digest of {@code parts}, 24 hex digits: the opaque value of a tag. */
    public static String digest(byte[]... parts) {
        return HEX.formatHex(digestBytes(parts));
    }

    /** The 12 bytes of a digest of {@code parts} that {@link #digest} writes as hex. */
    public static byte[] digestBytes(byte[]... parts) {
        MessageDigest sha = copy();
        for (byte[] part : parts) {
            sha.update(part);
        }
        return Arrays.copyOf(sha.digest(), 12);
    }

    /** The weak tag {@code W/"<24 hex digits>"} of a digest kept as its first 8 and last 4 bytes. */
    public static String weak(long high, int low) {
        return weakHeader(high, low).toString();
    }

    /**
     * The weak tag as the header value a page load sends: one array of its bytes, no strings to concatenate on
     * every request. {@link #weak} is its text.
     */
    public static AsciiString weakHeader(long high, int low) {
        byte[] tag = new byte[28];
        tag[0] = 'W';
        tag[1] = '/';
        tag[2] = '"';
        for (int i = 0; i < 16; i++) {
            tag[3 + i] = DIGITS[(int) (high >>> (60 - 4 * i)) & 0xf];
        }
        for (int i = 0; i < 8; i++) {
            tag[19 + i] = DIGITS[(low >>> (28 - 4 * i)) & 0xf];
        }
        tag[27] = '"';
        return new AsciiString(tag, false);
    }

    private static MessageDigest copy() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return sha256();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * If-None-Match against {@code etag}: any listed tag equal to it by the weak comparison (W/ ignored on either
     * side), or {@code *}.
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String ours = opaque(etag);
        for (String candidate : ifNoneMatch.split(",", -1)) {
            String tag = candidate.strip();
            if (tag.equals("*") || opaque(tag).equals(ours)) {
                return true;
            }
        }
        return false;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
