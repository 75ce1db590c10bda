package io.rollgate.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Turns dotted keys into the nested objects clients read ({@code a.b.c} to {@code {a:{b:{c:..}}}}). */
public final class Nesting {

    private Nesting() {
    }

    public static <V> Map<String, Object> nest(Map<String, V> flat) {
        Map<String, Object> root = new LinkedHashMap<>();
        flat.forEach((key, value) -> put(root, key.split("\\."), value));
        return root;
    }

    @SuppressWarnings("unchecked")
    static void put(Map<String, Object> root, String[] segments, Object value) {
        Map<String, Object> node = root;
        for (int i = 0; i < segments.length - 1; i++) {
            Object child = node.get(segments[i]);
            if (!(child instanceof Map)) {
                // a leaf already sits where this key needs an object: keep the leaf, flags never clash like this
                if (child != null) {
                    return;
                }
                child = new LinkedHashMap<String, Object>();
                node.put(segments[i], child);
            }
            node = (Map<String, Object>) child;
        }
        node.putIfAbsent(segments[segments.length - 1], value);
    }
}
