package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reasoning on the Chat API: {@code <think>} blocks moved out of answers (tags split across chunks
 * included), opt-in reasoning events and {@code includeReasoning}, reasoning shown with
 * {@code ?include=reasoning}, {@code reasoningTokens} in usage, and a preset's {@code reasoningEffort}
 * reaching the provider.
 */
class ThinkChatIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);
    static final Api api = server.admin();

    @BeforeEach
    void channel() {
        // Qwen3 / R1 distills served by vLLM or Ollama write their thinking into the text, tags cut anywhere.
        upstream.always(Reply.text("<thi", "nk>The user says hi. SECRET", "-PLAN</th", "ink>\n\nHel", "lo!"));
        server.resetChannels(upstream);
    }

    private static String user() {
        return "u" + System.nanoTime();
    }

    @Test
    void should_move_think_blocks_out_of_answers_and_show_them_only_when_asked() {
        Api.Response plain = api.post("/api/chat", Map.of("message", "hi", "userId", user()));
        assertThat(plain.data().path("response").asText()).isEqualTo("Hello!");
        assertThat(plain.body()).doesNotContain("SECRET");

        Api.Response asked = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "includeReasoning", true));
        assertThat(asked.data().path("response").asText()).isEqualTo("Hello!");
        assertThat(asked.data().path("reasoning").asText()).isEqualTo("The user says hi. SECRET-PLAN");

        String id = asked.data().path("conversationId").asText();
        JsonNode messages = api.get("/api/conversations/" + id).data().path("messages");
        assertThat(messages.get(1).path("content").asText()).isEqualTo("Hello!");
        assertThat(messages.get(1).has("reasoning")).isFalse();
        JsonNode withReasoning = api.get("/api/conversations/" + id + "?include=reasoning").data().path("messages");
        assertThat(withReasoning.get(1).path("reasoning").asText()).isEqualTo("The user says hi. SECRET-PLAN");
        assertThat(api.get("/api/conversations/" + id + "?include=everything").status()).isEqualTo(400);
    }

    @Test
    void should_stream_the_answer_without_think_blocks_and_reasoning_events_only_on_request() {
        Api.Stream plain = api.stream("/api/chat/stream", Map.of("message", "hi", "userId", user()));
        assertThat(plain.text()).isEqualTo("Hello!");
        assertThat(plain.types()).doesNotContain("reasoning");
        assertThat(plain.raw()).doesNotContain("SECRET").doesNotContain("think>");

        Api.Stream asked = api.stream("/api/chat/stream", Map.of("message", "hi", "userId", user(),
                "events", List.of("reasoning")));
        assertThat(asked.types().getFirst()).isEqualTo("start");
        assertThat(asked.types().getLast()).isEqualTo("end");
        assertThat(asked.text()).isEqualTo("Hello!");
        String reasoning = asked.events().stream().filter(e -> e.path("type").asText().equals("reasoning"))
                .map(e -> e.path("text").asText()).reduce("", String::concat);
        assertThat(reasoning).isEqualTo("The user says hi. SECRET-PLAN");
        // every reasoning event comes before the first content event here, as the model produced them
        assertThat(asked.types().indexOf("content")).isGreaterThan(asked.types().lastIndexOf("reasoning"));
    }

    @Test
    void should_stream_provider_reasoning_as_events_and_report_reasoning_tokens() {
        upstream.always(Reply.rich(FinishReason.STOP, new TokenUsage(11, 9, 0, 0, 6, false),
                Part.Reasoning.text("Deep thought.", Part.Reasoning.OPENAI), new Part.Text("42")));
        Api.Stream asked = api.stream("/api/chat/stream", Map.of("message", "?", "userId", user(),
                "events", List.of("reasoning")));
        assertThat(asked.text()).isEqualTo("42");
        String reasoning = asked.events().stream().filter(e -> e.path("type").asText().equals("reasoning"))
                .map(e -> e.path("text").asText()).reduce("", String::concat);
        assertThat(reasoning).isEqualTo("Deep thought.");
        assertThat(asked.events().getLast().path("usage").path("reasoningTokens").asInt()).isEqualTo(6);

        Api.Response plain = api.post("/api/chat", Map.of("message", "?", "userId", user()));
        assertThat(plain.data().path("usage").path("reasoningTokens").asInt()).isEqualTo(6);
    }

    @Test
    void should_send_the_presets_reasoning_effort_to_the_provider() {
        String preset = "thinker" + System.nanoTime();
        assertThat(api.post("/api/presets", Map.of("id", preset, "name", "Thinker", "reasoningEffort", "high")).status())
                .isEqualTo(201);
        api.post("/api/chat", Map.of("message", "hi", "userId", user(), "preset", preset));
        assertThat(upstream.requests().getLast().body().path("reasoning_effort").asText()).isEqualTo("high");

        api.put("/api/presets/" + preset, Map.of("reasoningEffort", "off"));
        api.post("/api/chat", Map.of("message", "hi", "userId", user(), "preset", preset));
        assertThat(upstream.requests().getLast().body().path("reasoning_effort").asText()).isEqualTo("none");

        assertThat(api.put("/api/presets/" + preset, Map.of("reasoningEffort", "extreme")).status()).isEqualTo(400);
        api.post("/api/chat", Map.of("message", "hi", "userId", user()));
        assertThat(upstream.requests().getLast().body().has("reasoning_effort")).isFalse();
    }
}
