package dev.hearth.collector.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The collector's JSON writing, with Jackson: databind for small answers, the streaming generator
 * for large ones. A flame graph nests two levels per frame and the stack depth limit is the
 * operator's to raise, so the writer's nesting is not capped here (the trees are written without
 * recursion).
 */
public final class Json {
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder()
                    .maxNestingDepth(Integer.MAX_VALUE)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private Json() {}

    /** Writes JSON with the streaming generator. */
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** A value (a record, a list, a map) as UTF-8 JSON. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a streaming body writes, as UTF-8 JSON; {@code sizeHint} is the expected length in bytes. */
    public static byte[] stream(int sizeHint, Body body) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(Math.max(256, sizeHint))) {
            try (JsonGenerator g = FACTORY.createGenerator(out)) {
                body.write(g);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finite number; integers without a fraction. */
    public static void number(JsonGenerator g, double v) throws IOException {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("not a JSON number: " + v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) g.writeNumber((long) v);
        else g.writeNumber(v);
    }

    /** {@code {"error": message}}, the body of every refusal. */
    public static byte[] error(String message) {
        return bytes(new Error(message));
    }

    private record Error(String error) {}
}
