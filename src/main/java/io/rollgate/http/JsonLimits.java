package io.rollgate.http;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/** Bounds what a request body can make the JSON parser do: nesting, string and number sizes. */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

    static final int MAX_DEPTH = 32;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_DEPTH)
                .maxStringLength(1_000_000)
                .maxNumberLength(64)
                .build());
    }
}
