package io.rollgate.evaluation;

import io.rollgate.engine.Evaluation;
import io.rollgate.http.EntityTags;

/**
 * A widget configuration ready to send: its bytes, and an entity tag over everything that decides it (the values,
 * their source, the environment, the ids and whether it is stale) but not the moment it was evaluated.
 */
public record RenderedConfig(byte[] body, String etag, EvaluationMetrics.Tally tally,
        EvaluationService.Outcome<Evaluation> outcome) {

    /** If-None-Match against this configuration: any listed tag equal to ours (weakly), or {@code *}. */
    public boolean matches(String ifNoneMatch) {
        return EntityTags.matches(ifNoneMatch, etag);
    }
}
