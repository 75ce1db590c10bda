package io.rollgate.evaluation;

import io.rollgate.http.EntityTags;

/**
 * A widget configuration ready to send: its bytes, and an entity tag over everything that decides it (the values,
 * their source, the environment, the ids and whether it is stale) but not the moment it was evaluated. It keeps
 * what it was computed from, not the evaluation itself: a replica holds tens of thousands of these.
 */
public record RenderedConfig(byte[] body, String etag, EvaluationMetrics.Tally tally,
        EvaluationService.Inputs inputs, boolean stale) {

    /** True when {@code current} are the inputs this configuration was rendered from. */
    public boolean renderedFrom(EvaluationService.Inputs current) {
        return !stale && inputs.catalog() == current.catalog() && inputs.customer() == current.customer()
                && inputs.organization() == current.organization();
    }

    /** If-None-Match against this configuration: any listed tag equal to ours (weakly), or {@code *}. */
    public boolean matches(String ifNoneMatch) {
        return EntityTags.matches(ifNoneMatch, etag);
    }
}
