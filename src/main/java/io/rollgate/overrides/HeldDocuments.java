package io.rollgate.overrides;

import io.rollgate.engine.OverrideDocument;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The documents of one bulk load by id, packed. A replica holding a hundred thousand customers' documents held each
 * id as a string and a map entry, about 100 bytes an id (a tenth of a million customers' heap); here the ids are
 * their UTF-8 bytes one after another in a single array, with an offset, a hash and a slot each: about 35 bytes.
 * Built once from the load; documents leave it (a change, a forgotten customer) and none is added. A lookup may
 * race a removal: a removal is a single write to an atomic array, so a lookup sees the document or its absence.
 */
final class HeldDocuments {

    private final byte[] ids;
    /** Where each id starts in {@link #ids}; one more entry than ids, the end of the last. */
    private final int[] starts;
    /** Open addressing, at most half full: the index of an id plus one, zero for none. */
    private final int[] slots;
    /** The hash of the id in the same slot, so that a lookup of an id not held compares no bytes. */
    private final int[] hashes;
    private final AtomicReferenceArray<OverrideDocument> documents;

    private HeldDocuments(byte[] ids, int[] starts, int[] slots, int[] hashes, OverrideDocument[] documents) {
        this.ids = ids;
        this.starts = starts;
        this.slots = slots;
        this.hashes = hashes;
        this.documents = new AtomicReferenceArray<>(documents);
    }

    /** The first {@code limit} documents of {@code documents}, in its order. */
    static HeldDocuments of(Map<String, OverrideDocument> documents, int limit) {
        int count = Math.min(documents.size(), limit);
        byte[][] encoded = new byte[count][];
        OverrideDocument[] values = new OverrideDocument[count];
        int[] slots = new int[Math.max(2, Integer.highestOneBit(Math.max(1, count) * 2 - 1) << 1)];
        int[] hashes = new int[slots.length];
        int held = 0;
        int bytes = 0;
        for (Map.Entry<String, OverrideDocument> entry : documents.entrySet()) {
            if (held == count) {
                break;
            }
            String id = entry.getKey();
            int hash = spread(id.hashCode());
            int slot = hash & (slots.length - 1);
            while (slots[slot] != 0) {
                slot = (slot + 1) & (slots.length - 1); // a map's ids are distinct: the first free slot is its own
            }
            encoded[held] = id.getBytes(StandardCharsets.UTF_8);
            values[held] = entry.getValue();
            bytes += encoded[held].length;
            slots[slot] = held + 1;
            hashes[slot] = hash;
            held++;
        }
        byte[] ids = new byte[bytes];
        int[] starts = new int[held + 1];
        for (int i = 0; i < held; i++) {
            System.arraycopy(encoded[i], 0, ids, starts[i], encoded[i].length);
            starts[i + 1] = starts[i] + encoded[i].length;
        }
        return new HeldDocuments(ids, starts, slots, hashes, Arrays.copyOf(values, held));
    }

    /** The document held for {@code id}, or null. */
    OverrideDocument get(String id) {
        int index = indexOf(id);
        return index < 0 ? null : documents.get(index);
    }

    /** Stops holding the document of {@code id}; returns it, or null when none was held. */
    OverrideDocument remove(String id) {
        int index = indexOf(id);
        return index < 0 ? null : documents.getAndSet(index, null);
    }

    /** Stops holding the documents whose ids match. */
    void removeIf(Predicate<String> matches) {
        for (int i = 0; i < documents.length(); i++) {
            if (documents.get(i) != null && matches.test(id(i))) {
                documents.set(i, null);
            }
        }
    }

    /** Each document still held, with its id. */
    void forEach(BiConsumer<String, OverrideDocument> action) {
        for (int i = 0; i < documents.length(); i++) {
            OverrideDocument document = documents.get(i);
            if (document != null) {
                action.accept(id(i), document);
            }
        }
    }

    /** The ids whose documents are still held. */
    Stream<String> ids() {
        return IntStream.range(0, documents.length()).filter(i -> documents.get(i) != null).mapToObj(this::id);
    }

    private String id(int index) {
        return new String(ids, starts[index], starts[index + 1] - starts[index], StandardCharsets.UTF_8);
    }

    private int indexOf(String id) {
        int hash = spread(id.hashCode());
        int mask = slots.length - 1;
        for (int slot = hash & mask; slots[slot] != 0; slot = (slot + 1) & mask) {
            if (hashes[slot] == hash && matches(slots[slot] - 1, id)) {
                return slots[slot] - 1;
            }
        }
        return -1;
    }

    /** Whether id {@code index} is {@code id}: compared char by char while it is ASCII, as ids nearly always are. */
    private boolean matches(int index, String id) {
        int start = starts[index];
        int length = starts[index + 1] - start;
        if (length < id.length()) {
            return false; // UTF-8 takes at least a byte a char
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 0x80) {
                byte[] encoded = id.getBytes(StandardCharsets.UTF_8);
                return Arrays.equals(ids, start, start + length, encoded, 0, encoded.length);
            }
            if (ids[start + i] != c) {
                return false;
            }
        }
        return length == id.length();
    }

    private static int spread(int hash) {
        int h = hash * 0x9E3779B9; // ids that differ only in their last digits spread over the whole table
        return h ^ h >>> 16;
    }
}
