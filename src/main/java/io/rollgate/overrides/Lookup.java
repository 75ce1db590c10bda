package io.rollgate.overrides;

import io.rollgate.engine.OverrideDocument;

/** An override document as the hot path got it: stale when it came from last known good data. */
public record Lookup(OverrideDocument document, boolean stale) {

    public static final Lookup NONE = new Lookup(OverrideDocument.EMPTY, false);
}
