package io.rollgate.events;

import java.time.OffsetDateTime;
import java.util.List;

/** One batch, checked and in columns, as the raw-row insert takes it. */
record PreparedBatch(String batchId, String actor, String contentHash, List<String> features, List<String> customers,
        List<String> types, List<String> metadata, List<OffsetDateTime> timestamps) {

    int size() {
        return features.size();
    }

    /** A batch id is a reporter's own: two reporters may name batches alike. */
    String key() {
        return key(actor, batchId);
    }

    static String key(String actor, String batchId) {
        return actor + '\n' + batchId;
    }
}
