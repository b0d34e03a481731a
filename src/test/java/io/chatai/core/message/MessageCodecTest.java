package io.chatai.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final Part.Text TEXT = new Part.Text("Hello ✓ \"quoted\"\n😀");
    private static final Part.Image URL_IMAGE = new Part.Image(new ImageSource.Url("https://example.com/cat.png"), "high");
    private static final Part.Image INLINE_IMAGE = new Part.Image(new ImageSource.Inline("image/png", "iVBORw0KGgo="), null);
    private static final Part.ToolCall CALL = new Part.ToolCall("call_1", "get_weather", "{\"city\": \"Paris\"}", null);
    // Gemini's thought signature rides on the call; the arguments are kept as the model wrote them, even when invalid.
    private static final Part.ToolCall SIGNED_CALL = new Part.ToolCall("call_2", "lookup", "{\"q\": ", "CiQB0e2Kb+/=");
    private static final Part.Reasoning THINKING = new Part.Reasoning("Let me think.", "EqQBCkgIARAB+/sig==", null, Part.Reasoning.ANTHROPIC);
    private static final Part.Reasoning REDACTED = new Part.Reasoning(null, null, "EmwKAhgBEgy3va3pzix/", Part.Reasoning.ANTHROPIC);
    private static final Part.Reasoning PLAIN = Part.Reasoning.text("reasoning_content text", Part.Reasoning.OPENAI);
    private static final Part.Reasoning EMPTY_WITH_STATE = new Part.Reasoning("", "sig", null, Part.Reasoning.GEMINI);
    private static final Part.Reasoning NO_ORIGIN = Part.Reasoning.text("thoughts", null);

    private static <T extends ChatMessage> T roundTrip(T message) {
        @SuppressWarnings("unchecked")
        T back = (T) MessageCodec.decode(MessageCodec.encode(message));
        return back;
    }

    @Test
    void should_write_a_stored_image_as_a_reference_and_read_it_back_through_the_store() {
        ImageSource.Inline bytes = new ImageSource.Inline("image/png", "iVBORw0KGgo=");
        List<Part> parts = List.of(new Part.Text("look"), new Part.Image(bytes, null));
        String json = MessageCodec.encodeParts(parts, inline -> inline == bytes ? "abc123" : null);
        assertThat(json).contains("{\"type\":\"stored\",\"id\":\"abc123\",\"mimeType\":\"image/png\"}")
                .doesNotContain("iVBORw0KGgo=");
        assertThat(MessageCodec.decodeParts(json, (id, mimeType) -> new ImageSource.Inline(mimeType, "bytes-of-" + id)))
                .containsExactly(new Part.Text("look"), new Part.Image(new ImageSource.Inline("image/png", "bytes-of-abc123"), null));
        assertThatThrownBy(() -> MessageCodec.decodeParts(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no store was given");
        assertThat(MessageCodec.encodeParts(parts)).contains("iVBORw0KGgo="); // without a store, inline as before
    }

    @Test
    void should_round_trip_every_part_kind_in_order() {
        List<Part> parts = List.of(THINKING, REDACTED, PLAIN, EMPTY_WITH_STATE, NO_ORIGIN, TEXT, CALL, SIGNED_CALL,
                URL_IMAGE, INLINE_IMAGE);

        assertThat(MessageCodec.decodeParts(MessageCodec.encodeParts(parts))).containsExactlyElementsOf(parts);
        assertThat(MessageCodec.decodeParts(MessageCodec.encodeParts(List.of()))).isEmpty();
    }

    @Test
    void should_round_trip_every_message_kind() {
        List<ChatMessage> messages = List.of(
                new ChatMessage.System("You are terse."),
                new ChatMessage.User(List.of(TEXT, URL_IMAGE, INLINE_IMAGE), "ada"),
                new ChatMessage.User(List.of(TEXT), null),
                new ChatMessage.Assistant(List.of(THINKING, REDACTED, TEXT, CALL, SIGNED_CALL)),
                new ChatMessage.Assistant(List.of()),
                new ChatMessage.Tool("call_1", "get_weather", List.of(new Part.Text("{\"temp\": 21}")), false),
                new ChatMessage.Tool("call_2", null, List.of(new Part.Text("timeout"), INLINE_IMAGE), true));

        for (ChatMessage message : messages) {
            assertThat(roundTrip(message)).isEqualTo(message);
        }
    }

    @Test
    void should_write_the_documented_field_names() throws Exception {
        JsonNode tool = Json.tree(MessageCodec.encode(new ChatMessage.Tool("call_9", "f", List.of(new Part.Text("x")), true)));
        assertThat(tool.toString()).isEqualTo("{\"v\":1,\"role\":\"tool\",\"content\":[{\"type\":\"text\",\"text\":\"x\"}],"
                + "\"toolCallId\":\"call_9\",\"name\":\"f\",\"isError\":true}");

        JsonNode parts = Json.tree(MessageCodec.encodeParts(List.of(SIGNED_CALL, THINKING, INLINE_IMAGE, URL_IMAGE)));
        assertThat(parts.toString()).isEqualTo("{\"v\":1,\"parts\":["
                + "{\"type\":\"toolCall\",\"id\":\"call_2\",\"name\":\"lookup\",\"arguments\":\"{\\\"q\\\": \",\"signature\":\"CiQB0e2Kb+/=\"},"
                + "{\"type\":\"reasoning\",\"text\":\"Let me think.\",\"signature\":\"EqQBCkgIARAB+/sig==\",\"origin\":\"anthropic\"},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"inline\",\"mimeType\":\"image/png\",\"data\":\"iVBORw0KGgo=\"}},"
                + "{\"type\":\"image\",\"source\":{\"type\":\"url\",\"url\":\"https://example.com/cat.png\"},\"detail\":\"high\"}]}");
    }

    @Test
    void should_read_a_document_with_fields_it_does_not_know() {
        String fromNewerWriter = "{\"v\":1,\"parts\":[{\"type\":\"text\",\"text\":\"hi\",\"cacheControl\":\"ephemeral\"}],\"extra\":{}}";

        assertThat(MessageCodec.decodeParts(fromNewerWriter)).containsExactly(new Part.Text("hi"));
    }

    @Test
    void should_refuse_what_it_cannot_read_fully() {
        assertRefused("{\"v\":2,\"parts\":[]}", "format 2");
        assertRefused("{\"parts\":[]}", "no format version");
        assertRefused("{\"v\":1,\"parts\":[{\"type\":\"audio\",\"data\":\"AAA\"}]}", "unknown part type 'audio'");
        assertRefused("{\"v\":1,\"parts\":[{\"type\":\"text\",\"text\":5}]}", "'text' must be a string");
        assertRefused("{\"v\":1,\"parts\":[{\"type\":\"toolCall\",\"name\":\"f\",\"arguments\":\"{}\"}]}", "'id' is missing");
        assertRefused("{\"v\":1,\"parts\":[{\"type\":\"reasoning\",\"origin\":\"openai\"}]}", "needs text, signature or redacted");
        assertRefused("{\"v\":1,\"parts\":[{\"type\":\"image\",\"source\":{\"type\":\"file\"}}]}", "unknown image source type");
        assertRefused("{\"v\":1,\"parts\":{}}", "must be an array");
        assertRefused("[1,2", "not valid JSON");
        assertThatThrownBy(() -> MessageCodec.decode("{\"v\":1,\"role\":\"tool\",\"content\":[]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'toolCallId' is missing");
        assertThatThrownBy(() -> MessageCodec.decode("{\"v\":1,\"role\":\"user\",\"content\":[{\"type\":\"toolCall\","
                + "\"id\":\"c\",\"name\":\"f\",\"arguments\":\"{}\"}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a user message cannot hold tool call parts");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> MessageCodec.decodeParts(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
