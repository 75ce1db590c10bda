package io.rollgate.engine;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic, monotonic percentage bucketing, the normalization Unleash SDKs use:
 * bucket = murmur3_x86_32(utf8(groupId + ":" + id), seed 0) as unsigned, mod 100, plus 1.
 * An id is in a rollout of p percent when p > 0 and its bucket is at most p, so raising p only adds ids.
 */
public final class Bucketing {

    private static final int SEED = 0;
    private static final int NORMALIZER = 100;

    private Bucketing() {
    }

    /** The id's bucket, 1..100, for a group (the flag's canonical key). */
    public static int bucket(String groupId, String id) {
        return (int) (hash(groupId, id) % NORMALIZER) + 1;
    }

    /** The unsigned 32-bit hash buckets come from, for splits that need more than a hundred steps. */
    public static long hash(String groupId, String id) {
        byte[] bytes = (groupId + ":" + id).getBytes(StandardCharsets.UTF_8);
        return Integer.toUnsignedLong(murmur3x86_32(bytes, SEED));
    }

    public static boolean inRollout(String groupId, String id, int percentage) {
        return percentage > 0 && bucket(groupId, id) <= percentage;
    }

    /** MurmurHash3 x86 32-bit (Austin Appleby's public-domain reference), little-endian blocks. */
    static int murmur3x86_32(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h1 = seed;
        int blocks = data.length / 4;
        for (int i = 0; i < blocks; i++) {
            int offset = i * 4;
            int k1 = (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8 | (data[offset + 2] & 0xff) << 16
                    | (data[offset + 3] & 0xff) << 24;
            k1 *= c1;
            k1 = Integer.rotateLeft(k1, 15);
            k1 *= c2;
            h1 ^= k1;
            h1 = Integer.rotateLeft(h1, 13);
            h1 = h1 * 5 + 0xe6546b64;
        }
        int tail = blocks * 4;
        int k1 = 0;
        switch (data.length & 3) {
            case 3 :
                k1 ^= (data[tail + 2] & 0xff) << 16;
                // fall through
            case 2 :
                k1 ^= (data[tail + 1] & 0xff) << 8;
                // fall through
            case 1 :
                k1 ^= data[tail] & 0xff;
                k1 *= c1;
                k1 = Integer.rotateLeft(k1, 15);
                k1 *= c2;
                h1 ^= k1;
                break;
            default :
                break;
        }
        h1 ^= data.length;
        h1 ^= h1 >>> 16;
        h1 *= 0x85ebca6b;
        h1 ^= h1 >>> 13;
        h1 *= 0xc2b2ae35;
        h1 ^= h1 >>> 16;
        return h1;
    }
}
