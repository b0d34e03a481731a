package io.chatai.provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.chatai.core.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where top-level fields' values sit in the text of a JSON object, so that a relayed request can be edited
 * in its text and every other byte reaches the upstream as the caller wrote it (number spellings, escapes,
 * field order, unknown fields). Immutable.
 *
 * @param open  the offset of the object's opening brace
 * @param spans each asked-for field the object has, to where its value is in the text
 */
public record BodyFields(int open, Map<String, Span> spans) {
    /** A value's place in the text: from {@code start} (inclusive) to {@code end} (exclusive). */
    public record Span(int start, int end) {
        /** The same value after {@code by} characters were inserted before it. */
        public Span shifted(int by) {
            return new Span(start + by, end + by);
        }
    }

    /** The named top-level fields of {@code body}, a JSON object the gateway has already validated. */
    public static BodyFields of(String body, Set<String> names) {
        Map<String, Span> spans = new HashMap<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
            p.nextToken();
            int open = (int) p.currentTokenLocation().getCharOffset();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                int start = (int) p.currentTokenLocation().getCharOffset();
                if (p.currentToken() == JsonToken.VALUE_STRING) {
                    p.getText(); // to the closing quote
                } else {
                    p.skipChildren();
                }
                if (names.contains(field)) {
                    spans.put(field, new Span(start, (int) p.currentLocation().getCharOffset()));
                }
            }
            return new BodyFields(open, Map.copyOf(spans));
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway passed a body that is not a JSON object", e);
        }
    }

    /** The body with its top-level {@code model} value replaced, every other byte as it was. */
    public static String withModel(String body, String model) {
        return splice(body, of(body, Set.of("model")).spans().get("model"), Json.writeString(model));
    }

    /** The text with the span replaced; unchanged when the span is null (the field was absent). */
    public static String splice(String text, Span span, String replacement) {
        return span == null ? text : text.substring(0, span.start()) + replacement + text.substring(span.end());
    }
}
