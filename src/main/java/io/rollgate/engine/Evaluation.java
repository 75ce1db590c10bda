package io.rollgate.engine;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every flag of a catalog evaluated for one context, in catalog order. */
public final class Evaluation {

    /** The context-specific sources, most specific first: the first present names the whole evaluation. */
    private static final Source[] SUMMARY_ORDER = {
            Source.CUSTOMER_OVERRIDE, Source.ORGANIZATION_OVERRIDE, Source.RULE, Source.ROLLOUT, Source.ENVIRONMENT
    };

    private final Catalog catalog;
    /** In catalog order, one for each of its flags. */
    private final List<FlagResult> results;
    private final Source source;

    Evaluation(Catalog catalog, FlagResult[] results) {
        this.catalog = catalog;
        this.results = Collections.unmodifiableList(Arrays.asList(results));
        Set<Source> seen = EnumSet.noneOf(Source.class);
        for (FlagResult result : results) {
            seen.add(result.source());
        }
        Source summary = Source.DEFAULT;
        for (Source candidate : SUMMARY_ORDER) {
            if (seen.contains(candidate)) {
                summary = candidate;
                break;
            }
        }
        this.source = summary;
    }

    public Collection<FlagResult> results() {
        return results;
    }

    public FlagResult result(String key) {
        int position = catalog.position(key);
        return position < 0 ? null : results.get(position);
    }

    /**
     * The most specific source that decided any flag: {@code customer_override} when the customer's own
     * document set at least one flag, as the widget reports it.
     */
    public Source source() {
        return source;
    }

    /** Receives an evaluation's values nested as {@link #nestedValues} has them, member by member. */
    public interface Nested {
        /** An object begins; false skips it, members and end included. */
        boolean startObject(String name, int depth) throws IOException;

        void value(String name, Object value, int depth) throws IOException;

        void endObject() throws IOException;
    }

    /**
     * Hands the values to {@code out} in the shape and order of {@link #nestedValues}, without building its maps: a
     * widget answer rendered anew made a map per object and an entry per member, only to serialize them.
     */
    public void writeNested(Nested out) throws IOException {
        write(catalog.shape(), 0, out);
    }

    private void write(List<Nesting.Member> members, int depth, Nested out) throws IOException {
        for (Nesting.Member member : members) {
            if (member.leaf()) {
                out.value(member.name(), results.get(member.position()).served(), depth);
            } else if (out.startObject(member.name(), depth)) {
                write(member.members(), depth + 1, out);
                out.endObject();
            }
        }
    }

    /** Flag values nested by their dotted keys: the widget config shape. */
    public Map<String, Object> nestedValues() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (FlagResult result : results) {
            Nesting.put(root, catalog.path(result.flag().key()), result.served());
        }
        return root;
    }
}
