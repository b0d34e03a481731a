package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reasoning model behind the Chat API (DeepSeek-style {@code reasoning_content} from an OpenAI-type
 * upstream): the answer, the stream and the conversation show the answer's text only, while the turn
 * stores the reasoning with it.
 */
class ChatReasoningIT {
    private static final String REASONING = "The user wants 2+2. SECRET-THOUGHT: that is four.";
    private static final String ANSWER = "2 + 2 = 4.";

    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);
    static final Api api = server.admin();

    @BeforeEach
    void reasoningModel() {
        upstream.always(Reply.rich(FinishReason.STOP, new TokenUsage(11, 9, 0, 0, 6, false),
                Part.Reasoning.text(REASONING, Part.Reasoning.OPENAI), new Part.Text(ANSWER)));
        server.resetChannels(upstream);
    }

    private static String user() {
        return "u" + System.nanoTime();
    }

    @Test
    void should_answer_with_the_text_only_and_store_the_reasoning_with_the_turn() {
        Api.Response response = api.post("/api/chat", Map.of("message", "What is 2+2?", "userId", user()));

        assertThat(response.status()).isEqualTo(200);
        JsonNode data = response.data();
        assertThat(data.path("response").asText()).isEqualTo(ANSWER);
        assertThat(response.body()).doesNotContain("SECRET-THOUGHT");
        assertThat(data.path("usage").path("completionTokens").asInt()).isEqualTo(9);
        assertStoredWithReasoning(data.path("conversationId").asText());
    }

    @Test
    void should_stream_the_text_only_and_store_the_reasoning_with_the_turn() {
        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "What is 2+2?", "userId", user()));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.types().getFirst()).isEqualTo("start");
        assertThat(stream.types().getLast()).isEqualTo("end");
        assertThat(stream.types().subList(1, stream.types().size() - 1)).isNotEmpty().containsOnly("content");
        assertThat(stream.text()).isEqualTo(ANSWER);
        assertThat(stream.raw()).doesNotContain("SECRET-THOUGHT");
        assertStoredWithReasoning(stream.events().getFirst().path("conversationId").asText());
    }

    @Test
    void should_send_the_earlier_answer_back_as_its_text_without_reasoning() {
        String user = user();
        api.post("/api/chat", Map.of("message", "What is 2+2?", "userId", user));
        api.post("/api/chat", Map.of("message", "And 3+3?", "userId", user));

        List<JsonNode> messages = upstream.requests().getLast().messages();
        assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("system", "user", "assistant", "user");
        // DeepSeek refuses reasoning_content outside a tool loop: a plain answer goes back as its text.
        assertThat(messages.get(2).path("content").asText()).isEqualTo(ANSWER);
        assertThat(messages.get(2).has("reasoning_content")).isFalse();
    }

    private static void assertStoredWithReasoning(String conversationId) {
        Api.Response conversation = api.get("/api/conversations/" + conversationId);
        assertThat(conversation.data().path("messages")).extracting(m -> m.path("content").asText())
                .containsExactly("What is 2+2?", ANSWER);
        assertThat(conversation.body()).doesNotContain("SECRET-THOUGHT");
        // The turn keeps what the model produced: the reasoning is in the stored parts, for later tool loops.
        List<String> rows = TestDatabases.dumpTable(server.dataDir(), "messages").lines()
                .filter(row -> row.startsWith(conversationId + "|")).toList();
        assertThat(rows).hasSize(2);
        assertThat(rows).anySatisfy(row -> assertThat(row).contains("|assistant|" + ANSWER + "|")
                .contains("{\"type\":\"reasoning\",\"text\":\"" + REASONING + "\",\"origin\":\"openai\"}"));
    }
}
