package io.rollgate.evaluation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.rollgate.engine.Evaluation;
import java.io.IOException;

/**
 * A widget answer as Jackson writes it: the flag values nested by their keys, then the evaluation object last (so
 * that the time can be written into it afterwards, see {@link AnswerTime}). Written straight from the evaluation,
 * without the nested maps a render used to build only to serialize them. A flag named {@code evaluation} at the top
 * gives way to the evaluation object, as it did in those maps.
 */
@RegisterForReflection // Jackson looks the type over before it finds it serializes itself
record AnswerBody(Evaluation evaluation, Object info) implements JsonSerializable {

    static final String EVALUATION = "evaluation";

    @Override
    public void serialize(JsonGenerator out, SerializerProvider serializers) throws IOException {
        out.writeStartObject();
        evaluation.writeNested(new Evaluation.Nested() {
            @Override
            public boolean startObject(String name, int depth) throws IOException {
                if (depth == 0 && EVALUATION.equals(name)) {
                    return false;
                }
                out.writeObjectFieldStart(name);
                return true;
            }

            @Override
            public void value(String name, Object value, int depth) throws IOException {
                if (depth > 0 || !EVALUATION.equals(name)) {
                    serializers.defaultSerializeField(name, value, out);
                }
            }

            @Override
            public void endObject() throws IOException {
                out.writeEndObject();
            }
        });
        serializers.defaultSerializeField(EVALUATION, info, out);
        out.writeEndObject();
    }

    @Override
    public void serializeWithType(JsonGenerator out, SerializerProvider serializers, TypeSerializer typed)
            throws IOException {
        serialize(out, serializers); // never written polymorphically
    }
}
