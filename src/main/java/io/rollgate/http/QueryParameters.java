package io.rollgate.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/** Query parameters read straight from a route's raw query. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /**
     * The first value of a query parameter as {@code request.params().get(name)} gives it (names matched ignoring
     * case, {@code &} and {@code ;} between parameters, percent-encoding and {@code +} decoded), null when absent. A
     * route reads its ids straight from the query: {@code params()} decoded every parameter into a map of its own on
     * each page load. A value whose encoding is broken is returned as sent, and fails the id check (400).
     */
    public static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        int length = query.indexOf('#');
        length = length < 0 ? query.length() : length;
        int start = 0;
        while (start < length) {
            // one pass over the parameter: its end, and where its name ends (the first '=' in it, if any)
            int end = start;
            int nameEnd = -1;
            for (char c; end < length && (c = query.charAt(end)) != '&' && c != ';'; end++) {
                if (c == '=' && nameEnd < 0) {
                    nameEnd = end;
                }
            }
            nameEnd = nameEnd < 0 ? end : nameEnd;
            if (named(query, start, nameEnd, name)) {
                return nameEnd < end ? decode(query.substring(nameEnd + 1, end)) : "";
            }
            start = end + 1;
        }
        return null;
    }

    /** {@link #parameter}, an empty value being none: an empty id is no id, as the REST layer's parameters had it. */
    public static String nonEmpty(String query, String name) {
        String value = parameter(query, name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static boolean named(String query, int start, int end, String name) {
        for (int i = start; i < end; i++) {
            char c = query.charAt(i);
            if (c == '%' || c == '+') {
                return decode(query.substring(start, end)).equalsIgnoreCase(name);
            }
        }
        return end - start == name.length() && query.regionMatches(true, start, name, 0, name.length());
    }

    private static String decode(String component) {
        if (component.indexOf('%') < 0 && component.indexOf('+') < 0) {
            return component;
        }
        try {
            return QueryStringDecoder.decodeComponent(component, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException broken) {
            return component;
        }
    }
}
