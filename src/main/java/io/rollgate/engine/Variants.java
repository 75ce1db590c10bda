package io.rollgate.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a typed flag serves: its type, its named variants and their values, the variant served when nothing else
 * decides, and an optional weighted split of the customers over variants for the default. A boolean flag has none of
 * this: its variants are on and off.
 *
 * @param values         variant name to value: a string, a number, or a JSON object or list (maps, lists, strings,
 *                       numbers, booleans and nulls), as the type says
 * @param defaultVariant the variant served when no rule or split decides, and when the flag is switched off
 * @param split          weights over variants for customers no rule decides for; empty for none
 */
public record Variants(Type type, Map<String, Object> values, String defaultVariant, List<Weight> split) {

    /** The value types a flag may serve besides on and off, by their wire names (OFREP's and OpenFeature's). */
    public enum Type {
        STRING, NUMBER, OBJECT;

        private final String wireName = name().toLowerCase(Locale.ROOT);

        public String wireName() {
            return wireName;
        }

        public static Type fromWire(String value) {
            for (Type type : values()) {
                if (type.wireName.equals(value)) {
                    return type;
                }
            }
            return null;
        }
    }

    /** One variant's share of a split: customers land on variants in proportion to their weights. */
    public record Weight(String variant, int weight) {
    }

    /** A variant picked by a split, with each variant's draw for the explanation (the lowest wins). */
    public record Pick(String variant, Map<String, Double> draws) {
    }

    public Variants {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        split = split == null ? List.of() : List.copyOf(split);
    }

    public Object value(String variant) {
        return values.get(variant);
    }

    /**
     * The variant {@code split} gives a targeting key: each variant draws from the key's hash under its own name
     * (the rollouts' murmur3), scaled by its weight, and the lowest draw wins (weighted rendezvous hashing). So the
     * same key always lands on the same variant on every replica, shares follow the weights, and raising one
     * variant's weight only moves customers into it, lowering one only moves customers out of it.
     */
    public static Pick pick(String flagKey, String targetingKey, List<Weight> split) {
        String best = null;
        double lowest = Double.POSITIVE_INFINITY;
        Map<String, Double> draws = new LinkedHashMap<>();
        for (Weight weight : split) {
            if (weight.weight() <= 0) {
                continue;
            }
            long hash = Bucketing.hash(flagKey + "/" + weight.variant(), targetingKey);
            // uniform in (0, 1), never 0: the exponential draw -ln(u) / weight is finite; StrictMath so every JVM and
            // the native executable draw alike
            double uniform = (hash + 0.5) / 4_294_967_296.0;
            double draw = -StrictMath.log(uniform) / weight.weight();
            draws.put(weight.variant(), draw);
            if (draw < lowest) {
                lowest = draw;
                best = weight.variant();
            }
        }
        return new Pick(best, draws);
    }

    /** The split as operators read it: "blue 50 / green 50". */
    public static String describe(List<Weight> split) {
        List<String> parts = new ArrayList<>(split.size());
        split.forEach(weight -> parts.add(weight.variant() + " " + weight.weight()));
        return String.join(" / ", parts);
    }
}
