package io.rollgate.events;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The acknowledgement of a batch: stored now, or already stored by an earlier attempt. */
@RegisterForReflection
public record IngestResult(String batchId, int accepted, boolean duplicate) {
}
