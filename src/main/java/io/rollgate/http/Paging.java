package io.rollgate.http;

import io.rollgate.errors.InvalidInputException;

/** The bounds every paged listing takes from its query: a page up to 100,000 and a size up to the listing's own. */
public final class Paging {

    public static final int MAX_PAGE = 100_000;

    private Paging() {
    }

    /** Refuses a page or size out of bounds, naming the parameter. */
    public static void check(int page, int size, int maxSize) {
        if (page < 0 || page > MAX_PAGE) {
            throw new InvalidInputException("page", "must be between 0 and " + MAX_PAGE);
        }
        if (size < 1 || size > maxSize) {
            throw new InvalidInputException("size", "must be between 1 and " + maxSize);
        }
    }
}
