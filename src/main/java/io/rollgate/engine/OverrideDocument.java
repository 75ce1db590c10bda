package io.rollgate.engine;

import io.rollgate.errors.InvalidInputException;
import io.rollgate.errors.Violation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A partial flag document, held flat: canonical flag key to boolean, sorted by key.
 * Stored and shown nested ({@code {"sessionPersistence":{"phase2":{"enhancedStorage":true}}}}).
 */
public final class OverrideDocument {

    public static final OverrideDocument EMPTY = new OverrideDocument(Map.of());

    /** Deeper than any real flag path; bounds the work a hostile document can cause. */
    static final int MAX_DEPTH = 8;
    static final int MAX_LEAVES = 512;

    private final Map<String, Boolean> leaves;

    private OverrideDocument(Map<String, Boolean> leaves) {
        this.leaves = compact(leaves);
    }

    /**
     * A replica holds up to a hundred thousand documents per scope, most of them one override: that case is one
     * small immutable map, and a key is the one string every document naming that flag shares.
     */
    private static Map<String, Boolean> compact(Map<String, Boolean> leaves) {
        if (leaves.size() == 1) {
            Map.Entry<String, Boolean> only = leaves.entrySet().iterator().next();
            if (only.getKey() != null && only.getValue() != null) {
                return Map.of(only.getKey().intern(), only.getValue());
            }
        }
        TreeMap<String, Boolean> sorted = new TreeMap<>();
        leaves.forEach((key, value) -> sorted.put(key.intern(), value));
        return Collections.unmodifiableMap(sorted);
    }

    public static OverrideDocument of(Map<String, Boolean> leaves) {
        return leaves.isEmpty() ? EMPTY : new OverrideDocument(leaves);
    }

    /**
     * Validates a nested document against the catalog. Every leaf must be a boolean at a known flag key;
     * with {@code allowNullLeaves} a null leaf means "remove this override" (JSON merge patch) and is
     * returned in the map as null.
     */
    public static Map<String, Boolean> parse(Map<String, ?> nested, Catalog catalog, boolean allowNullLeaves) {
        List<Violation> violations = new ArrayList<>();
        Map<String, Boolean> flat = new LinkedHashMap<>();
        if (nested == null) {
            throw new InvalidInputException("flags", "is required");
        }
        walk("", nested, 1, catalog, allowNullLeaves, flat, violations);
        if (flat.size() > MAX_LEAVES) {
            violations.add(new Violation("flags", "has more than " + MAX_LEAVES + " leaves"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidInputException(violations);
        }
        return flat;
    }

    private static void walk(String prefix, Map<String, ?> node, int depth, Catalog catalog, boolean allowNull,
            Map<String, Boolean> out, List<Violation> violations) {
        if (depth > MAX_DEPTH) {
            violations.add(new Violation(prefix, "nests deeper than " + MAX_DEPTH + " levels"));
            return;
        }
        for (Map.Entry<String, ?> entry : node.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            Object value = entry.getValue();
            if (entry.getKey() == null || entry.getKey().isEmpty() || entry.getKey().contains(".")) {
                violations.add(new Violation(path, "is not a valid path segment"));
            } else if (value instanceof Map<?, ?> child) {
                if (catalog.contains(path)) {
                    violations.add(new Violation(path, "is a flag and takes a boolean, not an object"));
                } else {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> typed = (Map<String, ?>) child;
                    walk(path, typed, depth + 1, catalog, allowNull, out, violations);
                }
            } else if (!catalog.contains(path)) {
                violations.add(new Violation(path, "is not a known flag"));
            } else if (value instanceof Boolean bool) {
                out.put(path, bool);
            } else if (value == null && allowNull) {
                out.put(path, null);
            } else {
                violations.add(new Violation(path, "must be true or false"));
            }
        }
    }

    /** Reads a stored document leniently: leaves that are not booleans are skipped, keys are kept as stored. */
    public static OverrideDocument fromStored(Map<String, ?> nested) {
        Map<String, Boolean> flat = new TreeMap<>();
        collect("", nested, flat);
        return of(flat);
    }

    private static void collect(String prefix, Map<String, ?> node, Map<String, Boolean> out) {
        for (Map.Entry<String, ?> entry : node.entrySet()) {
            String path = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> child) {
                @SuppressWarnings("unchecked")
                Map<String, ?> typed = (Map<String, ?>) child;
                collect(path, typed, out);
            } else if (entry.getValue() instanceof Boolean bool) {
                out.put(path, bool);
            }
        }
    }

    /** Leaf-by-leaf merge: the patch's leaves win, a null leaf removes that override. */
    public OverrideDocument merge(Map<String, Boolean> patch) {
        Map<String, Boolean> merged = new TreeMap<>(leaves);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return of(merged);
    }

    public Boolean get(String key) {
        return leaves.get(key);
    }

    public Map<String, Boolean> leaves() {
        return leaves;
    }

    public boolean isEmpty() {
        return leaves.isEmpty();
    }

    /**
     * A short name of exactly this content, for an editor to say which document its change was made against: it
     * differs whenever any leaf does, and two equal documents share it, so an edit made against a document that was
     * changed and changed back is still made against what the editor saw.
     */
    public String version() {
        StringBuilder canonical = new StringBuilder();
        // the leaves are held sorted by key: the same content always reads the same
        leaves.forEach((key, value) -> canonical.append(key).append('=').append(value).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }

    /** The nested form, as stored in JSONB and returned to clients. */
    public Map<String, Object> toNested() {
        return Nesting.nest(leaves);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OverrideDocument doc && doc.leaves.equals(leaves);
    }

    @Override
    public int hashCode() {
        return leaves.hashCode();
    }

    @Override
    public String toString() {
        return leaves.toString();
    }
}
