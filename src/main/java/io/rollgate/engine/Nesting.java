package io.rollgate.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * A member of the nested objects that {@link #put} builds from a catalog's keys, whatever their values: a flag's
     * value ({@code position} its place in the catalog) or an object of members, in the order {@code put} makes them.
     * Known once per catalog, an evaluation's values are written along it without building the maps.
     */
    record Member(String name, int position, List<Member> members) {
        boolean leaf() {
            return position >= 0;
        }
    }

    /** The members {@link #put} makes for {@code paths} put in this order (a path's index is its position). */
    static List<Member> shape(List<String[]> paths) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (int position = 0; position < paths.size(); position++) {
            put(root, paths.get(position), position);
        }
        return members(root);
    }

    @SuppressWarnings("unchecked")
    private static List<Member> members(Map<String, Object> node) {
        List<Member> members = new ArrayList<>(node.size());
        node.forEach((name, child) -> members.add(child instanceof Map
                ? new Member(name, -1, members((Map<String, Object>) child))
                : new Member(name, (Integer) child, List.of())));
        return List.copyOf(members);
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
