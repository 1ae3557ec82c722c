package dev.hearth.agent.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The reader of the collector's JSON: flame graph trees nest two levels per frame, and stacks may be 1024 frames or more deep. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(20_000).build())
            .build());

    private Json() {}
}
