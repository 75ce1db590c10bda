package io.rollgate.engine;

import java.util.List;
import java.util.Set;

/**
 * A named audience that any flag's rules can target, so "the beta testers" is written once and changed in one
 * place. Who is in it: a targeting key listed in {@code excluded} never is; one listed in {@code included} always
 * is; anyone else is when one of its rules (user, group, environment or attribute) matches.
 *
 * @param included targeting keys (customer ids, OpenFeature targeting keys) always in the segment
 * @param excluded targeting keys never in it, whatever else says so
 * @param version  bumped by every change, so a write can be refused when it was made against an older one
 */
public record Segment(String key, String description, Set<String> included, Set<String> excluded, List<Rule> rules,
        long version) {

    public Segment {
        included = Set.copyOf(included);
        excluded = Set.copyOf(excluded);
        rules = List.copyOf(rules);
    }

    /** Whether a context is in the segment, and in words why (or why not), for the explanation. */
    public record Membership(boolean in, String reason) {
    }

    public boolean contains(EvaluationContext context) {
        String key = context.targetingKey();
        if (key != null && excluded.contains(key)) {
            return false;
        }
        if (key != null && included.contains(key)) {
            return true;
        }
        for (Rule rule : rules) {
            if (rule.matches(null, context, null)) {
                return true;
            }
        }
        return false;
    }

    /** As {@link #contains}, saying which list or rule decided. */
    public Membership membership(EvaluationContext context) {
        String key = context.targetingKey();
        if (key != null && excluded.contains(key)) {
            return new Membership(false, key + " is excluded from segment " + this.key);
        }
        if (key != null && included.contains(key)) {
            return new Membership(true, key + " is listed in segment " + this.key);
        }
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i).matches(null, context, null)) {
                return new Membership(true, "segment " + this.key + "'s rule " + (i + 1) + " matched");
            }
        }
        return new Membership(false, (key == null ? "no targeting key" : key + " is not listed") + " and none of "
                + "segment " + this.key + "'s " + rules.size() + " rules matched");
    }
}
