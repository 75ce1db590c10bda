package io.rollgate.ofrep;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/** The OFREP 0.3.0 response documents, field by field as its openapi.yaml names them. */
final class OfrepResults {

    private OfrepResults() {
    }

    /** evaluationSuccess / serverEvaluationSuccess. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Success(String key, Object value, String reason, String variant, Map<String, Object> metadata) {
    }

    /** evaluationFailure and flagNotFound. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Failure(String key, String errorCode, String errorDetails, Map<String, Object> metadata) {
    }

    /** bulkEvaluationSuccess: items are Success or Failure. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Bulk(List<Object> flags, Map<String, Object> metadata, List<EventStream> eventStreams) {

        Bulk withEventStreams(List<EventStream> streams) {
            return new Bulk(flags, metadata, streams);
        }
    }

    /** eventStream: where to hear that the flag configuration changed (ADR-0008). */
    @RegisterForReflection
    record EventStream(String type, String url, int inactivityDelaySec) {
    }

    /** bulkEvaluationFailure. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BulkFailure(String errorCode, String errorDetails) {
    }
}
