package io.rollgate.evaluation;

import io.rollgate.engine.Catalog;
import io.rollgate.engine.OverrideDocument;
import io.rollgate.http.EntityTags;
import java.nio.ByteBuffer;

/**
 * A widget configuration ready to send: its bytes, and an entity tag over everything that decides it (the values,
 * their source, the environment, the ids and whether it is stale) but not the moment it was evaluated. It keeps
 * what it was computed from, not the evaluation itself: a replica holds tens of thousands of these. What a kept
 * answer is checked and sent with sits in this one object (the tag as numbers, the inputs as fields): with that
 * many answers, each further object a request follows is one more fetch from memory, not from the processor's
 * cache.
 */
public final class RenderedConfig {

    private final byte[] body;
    private final long tagHigh;
    private final int tagLow;
    private final EvaluationMetrics.Tally tally;
    private final Catalog catalog;
    private final OverrideDocument customer;
    private final OverrideDocument organization;
    private final boolean stale;

    /** {@code digest}: the 12 bytes of {@link EntityTags#digestBytes} the tag is written from. */
    public RenderedConfig(byte[] body, byte[] digest, EvaluationMetrics.Tally tally,
            EvaluationService.Inputs inputs, boolean stale) {
        ByteBuffer tag = ByteBuffer.wrap(digest);
        this.body = body;
        this.tagHigh = tag.getLong();
        this.tagLow = tag.getInt();
        this.tally = tally;
        this.catalog = inputs.catalog();
        this.customer = inputs.customer();
        this.organization = inputs.organization();
        this.stale = stale;
    }

    public byte[] body() {
        return body;
    }

    /** The weak entity tag, {@code W/"<24 hex digits>"}. */
    public String etag() {
        return EntityTags.weak(tagHigh, tagLow);
    }

    /** The same tag as the header value a page load writes. */
    public CharSequence etagHeader() {
        return EntityTags.weakHeader(tagHigh, tagLow);
    }

    public EvaluationMetrics.Tally tally() {
        return tally;
    }

    public boolean stale() {
        return stale;
    }

    /** True when {@code current} are the inputs this configuration was rendered from. */
    public boolean renderedFrom(EvaluationService.Inputs current) {
        // the catalog snapshot by identity (a new snapshot is a new render); documents by content, which their
        // equals answers at once for the same instance
        return !stale && catalog == current.catalog() && java.util.Objects.equals(customer, current.customer())
                && java.util.Objects.equals(organization, current.organization());
    }
}
