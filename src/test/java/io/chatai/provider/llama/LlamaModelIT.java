package io.chatai.provider.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.config.ConfigException;
import io.chatai.testing.Api;
import io.chatai.testing.TestServer;
import io.chatai.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code CHATAI_LOCAL_MODEL}: one variable, no other channel, the whole Chat API offline. */
class LlamaModelIT {
    @TempDir
    Path dir;

    @Test
    void should_serve_the_six_chat_routes_with_only_CHATAI_LOCAL_MODEL_set() {
        Path model = TinyGguf.write(dir.resolve("tiny-chat.gguf"));
        try (TestServer server = TestServer.start(Map.of("CHATAI_LOCAL_MODEL", model.toString()))) {
            Api api = server.admin();
            JsonNode channels = api.get("/api/channels").data();
            assertThat(channels).hasSize(1);
            assertThat(channels.path(0).path("id").asText()).isEqualTo("ch_local_model");
            assertThat(channels.path(0).path("type").asText()).isEqualTo("local");
            assertThat(channels.path(0).path("models")).extracting(JsonNode::asText).containsExactly("tiny-chat", "*");

            // The built-in preset asks for gpt-4o-mini: the local channel's "*" answers it.
            JsonNode chat = api.post("/api/chat", Map.of("message", "Hello, how are you?", "userId", "123456789",
                    "groupId", "987654321")).data();
            assertThat(chat.path("response").asText()).isNotEmpty();
            assertThat(chat.path("usage").path("completionTokens").asInt()).isPositive();
            String conversation = chat.path("conversationId").asText();

            Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "And now?", "userId", "123456789",
                    "groupId", "987654321"));
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.types().getFirst()).isEqualTo("start");
            assertThat(stream.types().getLast()).isEqualTo("end");
            assertThat(stream.types().stream().filter("content"::equals).count()).isGreaterThan(10); // token by token
            assertThat(stream.events().getFirst().path("conversationId").asText()).isEqualTo(conversation);

            JsonNode list = api.get("/api/conversations?userId=123456789&groupId=987654321").data();
            assertThat(list.path("total").asInt()).isEqualTo(1);
            assertThat(list.path("conversations").path(0).path("messageCount").asInt()).isEqualTo(4);

            JsonNode messages = api.get("/api/conversations/" + conversation).data().path("messages");
            assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant", "user", "assistant");
            assertThat(messages.path(3).path("content").asText()).isEqualTo(stream.text());

            assertThat(api.post("/api/conversations/" + conversation + "/clear", Map.of()).json().path("message").asText())
                    .isEqualTo("Context cleared");
            assertThat(api.get("/api/conversations/" + conversation).data().path("messages")).isEmpty();

            assertThat(api.delete("/api/conversations/" + conversation).json().path("success").asBoolean()).isTrue();
            assertThat(api.get("/api/conversations/" + conversation).status()).isEqualTo(404);
        }
    }

    @Test
    void should_keep_one_channel_across_restarts_with_the_operators_edits() {
        Path model = TinyGguf.write(dir.resolve("tiny.gguf"));
        Path data = TestServer.newDataDir();
        Map<String, String> env = Map.of("CHATAI_LOCAL_MODEL", model.toString(), "CHATAI_LOCAL_MODEL_NAME", "tiny-offline");
        try (TestServer server = TestServer.start(data, env)) {
            server.admin().put("/api/channels/ch_local_model", Map.of("priority", 5, "options", Map.of("threads", 1)));
        }
        try (TestServer server = TestServer.start(data, env)) {
            JsonNode channels = server.admin().get("/api/channels").data();
            assertThat(channels).hasSize(1);
            assertThat(channels.path(0).path("priority").asInt()).isEqualTo(5);
            assertThat(channels.path(0).path("options").path("threads").asInt()).isEqualTo(1);
            assertThat(channels.path(0).path("models")).extracting(JsonNode::asText).containsExactly("tiny-offline", "*");
            JsonNode chat = server.admin().post("/api/chat", Map.of("message", "hi", "userId", "u1", "model", "tiny-offline")).data();
            assertThat(chat.path("model").asText()).isEqualTo("tiny-offline");
        }
    }

    @Test
    void should_refuse_to_start_on_a_damaged_model_naming_the_variable() throws Exception {
        byte[] whole = Files.readAllBytes(TinyGguf.write(dir.resolve("tiny.gguf")));
        Path cut = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(whole, whole.length / 2));
        Path text = Files.writeString(dir.resolve("text.gguf"), "not a model");

        for (Path bad : List.of(cut, text)) {
            assertThatThrownBy(() -> TestServer.start(Map.of("CHATAI_LOCAL_MODEL", bad.toString())))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("CHATAI_LOCAL_MODEL: " + bad);
        }
        assertThatThrownBy(() -> TestServer.start(Map.of("CHATAI_LOCAL_MODEL", dir.resolve("absent.gguf").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("CHATAI_LOCAL_MODEL").hasMessageContaining("absent.gguf");
    }
}
