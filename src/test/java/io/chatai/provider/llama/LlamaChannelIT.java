package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ModelRequest;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestServerExtension;
import io.chatai.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code local} channels through the API: validation, chat, streaming, usage, the test call and failover. */
class LlamaChannelIT {
    static final String SYSTEM = "You are a test.";
    static final Path model = TinyGguf.writeTemp();
    static final FakeOpenAi fake = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(fake);
    static final Api api = server.admin();

    @BeforeAll
    static void tinyPreset() {
        api.post("/api/presets", Map.of("id", "tiny", "name", "Tiny", "systemPrompt", SYSTEM, "model", "tiny-llama", "maxTokens", 16));
    }

    @BeforeEach
    void noChannels() {
        for (JsonNode channel : api.get("/api/channels").data()) {
            api.delete("/api/channels/" + channel.path("id").asText());
        }
    }

    static String addLocal(Map<String, Object> options, int priority) {
        return api.post("/api/channels", Map.of("name", "tiny", "type", "local", "modelPath", model.toString(),
                "models", List.of("tiny-llama"), "options", options, "priority", priority)).data().path("id").asText();
    }

    static String user() {
        return "u" + System.nanoTime();
    }

    @Test
    void should_refuse_an_invalid_local_channel_with_a_message_naming_the_field() throws Exception {
        Path text = Files.writeString(Files.createTempFile("not-a-model", ".gguf"), "plain text");
        Map<Map<String, Object>, String> cases = Map.of(
                Map.of("name", "a", "type", "local"), "modelPath is required",
                Map.of("name", "a", "type", "local", "modelPath", text.toString()), "is not a GGUF model",
                Map.of("name", "a", "type", "local", "modelPath", "/no/such/model.gguf"), "not a readable file",
                Map.of("name", "a", "type", "local", "modelPath", model.toString(), "baseUrl", "http://127.0.0.1:1/v1"), "takes no baseUrl",
                Map.of("name", "a", "type", "local", "modelPath", model.toString(), "options", Map.of("ctx", 512)),
                "options.ctx is not an option of a local channel; the options are contextSize, threads, parallel, queue",
                Map.of("name", "a", "type", "local", "modelPath", model.toString(), "options", Map.of("parallel", 0)),
                "options.parallel must be from 1 to 64, got 0",
                Map.of("name", "a", "type", "local", "modelPath", model.toString(), "options", Map.of("threads", "2")),
                "options.threads must be a whole number",
                Map.of("name", "a", "type", "local", "modelPath", model.toString(), "options", 4), "options must be an object");
        cases.forEach((body, message) -> {
            Api.Response response = api.post("/api/channels", body);
            assertThat(response.status()).as(message).isEqualTo(400);
            assertThat(response.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(response.json().path("error").asText()).contains(message);
        });
        assertThat(api.get("/api/channels").data()).isEmpty();
    }

    @Test
    void should_show_a_local_channel_with_its_options_and_merge_them_on_put() {
        String id = addLocal(Map.of("threads", 1, "contextSize", 256), 0);

        JsonNode shown = api.get("/api/channels/" + id).data();
        assertThat(shown.path("type").asText()).isEqualTo("local");
        assertThat(shown.path("modelPath").asText()).isEqualTo(model.toString());
        assertThat(shown.path("baseUrl").isNull()).isTrue();
        assertThat(shown.path("apiKeys")).isEmpty();
        assertThat(shown.path("options").path("contextSize").asInt()).isEqualTo(256);

        JsonNode merged = api.put("/api/channels/" + id, Map.of("options", Map.of("parallel", 1))).data();
        assertThat(merged.path("options").path("threads").asInt()).isEqualTo(1);
        assertThat(merged.path("options").path("contextSize").asInt()).isEqualTo(256);
        assertThat(merged.path("options").path("parallel").asInt()).isEqualTo(1);

        java.util.HashMap<String, Object> restore = new java.util.HashMap<>();
        restore.put("contextSize", null);
        JsonNode restored = api.put("/api/channels/" + id, Map.of("options", restore)).data();
        assertThat(restored.path("options").has("contextSize")).isFalse();
    }

    @Test
    void should_chat_with_the_local_model_and_report_its_own_token_counts() {
        addLocal(Map.of("threads", 1), 0);
        String user = user();

        JsonNode first = api.post("/api/chat", Map.of("message", "Hello there", "userId", user, "preset", "tiny")).data();
        JsonNode second = api.post("/api/chat", Map.of("message", "And again", "userId", user, "preset", "tiny")).data();

        assertThat(first.path("response").asText()).hasSize(16);
        assertThat(first.path("usage").path("promptTokens").asInt()).isEqualTo(TinyGguf.promptTokens(TinyGguf.render(List.of(
                new String[] {"system", SYSTEM}, new String[] {"user", "Hello there"}))));
        assertThat(first.path("usage").path("completionTokens").asInt()).isEqualTo(16);
        assertThat(first.path("usage").has("estimated")).isFalse();
        // The second turn's prompt carries the first turn, rendered by the model's own template.
        assertThat(second.path("usage").path("promptTokens").asInt()).isEqualTo(TinyGguf.promptTokens(TinyGguf.render(List.of(
                new String[] {"system", SYSTEM}, new String[] {"user", "Hello there"},
                new String[] {"assistant", first.path("response").asText()}, new String[] {"user", "And again"}))));
        JsonNode stored = api.get("/api/conversations/" + second.path("conversationId").asText()).data().path("messages");
        assertThat(stored).extracting(m -> m.path("content").asText()).containsExactly(
                "Hello there", first.path("response").asText(), "And again", second.path("response").asText());
    }

    @Test
    void should_stream_the_answer_token_by_token() {
        addLocal(Map.of("threads", 1), 0);

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "Stream please", "userId", user(), "preset", "tiny"));

        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.types()).hasSize(18).startsWith("start").endsWith("end");
        assertThat(stream.types().subList(1, 17)).containsOnly("content");
        assertThat(stream.events().get(1).path("text").asText()).hasSize(1); // one token, one event
        JsonNode usage = stream.events().getLast().path("usage");
        assertThat(usage.path("completionTokens").asInt()).isEqualTo(16);
        assertThat(usage.path("promptTokens").asInt()).isEqualTo(TinyGguf.promptTokens(TinyGguf.render(List.of(
                new String[] {"system", SYSTEM}, new String[] {"user", "Stream please"}))));
        String conversation = stream.events().getFirst().path("conversationId").asText();
        assertThat(api.get("/api/conversations/" + conversation).data().path("messages").path(1).path("content").asText())
                .isEqualTo(stream.text());
    }

    @Test
    void should_test_a_local_channel() {
        String id = addLocal(Map.of("threads", 1), 0);

        JsonNode result = api.post("/api/channels/" + id + "/test", Map.of()).data();

        assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
        assertThat(result.path("model").asText()).isEqualTo("tiny-llama");
        assertThat(result.path("reply").asText()).isNotEmpty();
    }

    @Test
    void should_fail_over_to_another_channel_when_the_local_queue_is_full() throws Exception {
        Map<String, Object> options = Map.of("threads", 1, "parallel", 1, "queue", 0);
        String local = addLocal(options, 1);
        server.addChannel(fake); // priority 0: only the fallback
        int callsBefore = fake.calls();

        try (Busy busy = occupy(options)) {
            JsonNode answered = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "preset", "tiny")).data();

            assertThat(answered.path("response").asText()).isEqualTo("echo(2): hi");
            assertThat(fake.calls()).isEqualTo(callsBefore + 1);
        }
        // Busy is not broken: the local channel did not cool down and answers again once free.
        assertThat(api.get("/api/channels/" + local).data().path("state").asText()).isEqualTo("healthy");
        JsonNode local2 = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "preset", "tiny")).data();
        assertThat(local2.path("response").asText()).hasSize(16).doesNotStartWith("echo");
    }

    @Test
    void should_answer_channel_unavailable_when_the_only_local_channel_is_saturated() throws Exception {
        Map<String, Object> options = Map.of("threads", 1, "parallel", 1, "queue", 0);
        addLocal(options, 0);

        try (Busy busy = occupy(options)) {
            Api.Response response = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "preset", "tiny"));

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().path("code").asText()).isEqualTo("CHANNEL_UNAVAILABLE");
            assertThat(response.json().path("details").path("tried").path(0).path("error").asText())
                    .contains("overloaded: all 1 sequences are busy");
        }
    }

    /** Holds every sequence of the channel's engine: a long answer nobody reads keeps its sequence busy. */
    private static Busy occupy(Map<String, Object> options) throws InterruptedException {
        LlamaModels.Lease lease = server.localModels().acquire(new LlamaModels.Key(model, options));
        LlamaEngine engine = lease.engine();
        Generation generation = engine.start(engine.prompt(List.of(ChatMessage.user("go on"))),
                new ModelRequest("tiny-llama", List.of(), null, null, 400), 400);
        LlamaConcurrencyTest.await(() -> engine.busy() == 1);
        return new Busy(lease, generation);
    }

    private record Busy(LlamaModels.Lease lease, Generation generation) implements AutoCloseable {
        @Override
        public void close() {
            generation.close();
            LlamaConcurrencyTest.await(() -> lease.engine().busy() == 0);
            lease.close();
        }
    }
}
