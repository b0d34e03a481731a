package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestImages;
import io.chatai.testing.TestServerExtension;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Text-only models beside vision models: images described once by the preset's caption model (cached by
 * content hash, stored with the image), refused when the preset says so, and never routed to a text-only
 * channel by failover.
 */
class TextOnlyImagesIT {
    static final FakeOpenAi vision = new FakeOpenAi();
    static final FakeOpenAi textOnly = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(List.of(vision, textOnly));
    static final Api api = server.admin();

    @BeforeEach
    void channels() {
        server.deleteChannels();
        vision.resetScript();
        textOnly.resetScript();
    }

    @AfterEach
    void clean() {
        server.deleteChannels();
    }

    private static String user() {
        return "u" + System.nanoTime();
    }

    private static Map<String, String> image(byte[] bytes) {
        return Map.of("data", Base64.getEncoder().encodeToString(bytes), "mimeType", "image/png");
    }

    private static long imageRequests(FakeUpstream fake) {
        return fake.requests().stream().filter(r -> r.body().toString().contains("image_url")).count();
    }

    @Test
    void should_describe_each_image_once_for_a_text_only_model_and_store_the_caption() {
        server.addChannel(vision, Map.of("models", List.of("gpt-4o-mini")));
        server.addChannel(textOnly, Map.of("models", List.of("deepseek-chat"), "textOnlyModels", List.of("deepseek-*")));
        vision.always(Reply.text("A red square on white."));
        textOnly.always(Reply.text("Nice red square!"));
        String preset = "cap" + System.nanoTime();
        api.post("/api/presets", Map.of("id", preset, "name", "Captioned", "model", "deepseek-chat",
                "captionModel", "gpt-4o-mini"));
        byte[] png = TestImages.image("png", 16, 16, 11);
        long described = imageRequests(vision); // the fakes keep every request of the class

        String owner = user();
        Api.Response first = api.post("/api/chat", Map.of("message", "what is it?", "userId", owner, "preset", preset,
                "images", List.of(image(png))));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.data().path("response").asText()).isEqualTo("Nice red square!");
        JsonNode sent = textOnly.requests().getLast().messages().getLast();
        assertThat(sent.toString()).doesNotContain("image_url").contains("[image: A red square on white.]");
        assertThat(imageRequests(vision)).isEqualTo(described + 1);

        // The same bytes in another conversation, and the first conversation's next turn: no second description.
        api.post("/api/chat", Map.of("message", "again", "userId", user(), "preset", preset, "images", List.of(image(png))));
        Api.Response next = api.post("/api/chat", Map.of("message", "more?", "userId", owner, "preset", preset,
                "conversationId", first.data().path("conversationId").asText()));
        assertThat(next.status()).isEqualTo(200);
        assertThat(textOnly.requests().getLast().messages().getFirst().toString()).contains("[image: A red square on white.]"); // no system prompt
        assertThat(imageRequests(vision)).isEqualTo(described + 1);

        JsonNode stored = api.get("/api/conversations/" + first.data().path("conversationId").asText()).data();
        assertThat(stored.path("messages").get(0).path("images").get(0).path("caption").asText())
                .isEqualTo("A red square on white.");
    }

    @Test
    void should_refuse_images_for_a_text_only_model_whose_preset_refuses_them() {
        server.addChannel(textOnly, Map.of("models", List.of("deepseek-chat"), "textOnlyModels", List.of("deepseek-chat")));
        String preset = "refuse" + System.nanoTime();
        api.post("/api/presets", Map.of("id", preset, "name", "Refuses", "model", "deepseek-chat", "imageMode", "refuse",
                "captionModel", "gpt-4o-mini"));
        int calls = textOnly.calls();
        Api.Response refused = api.post("/api/chat", Map.of("message", "see?", "userId", user(), "preset", preset,
                "images", List.of(image(TestImages.image("png", 8, 8, 1)))));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("code").asText()).isEqualTo("IMAGE_NOT_SUPPORTED");
        assertThat(textOnly.calls()).isEqualTo(calls);
    }

    @Test
    void should_not_fail_over_from_a_vision_channel_to_a_text_only_one_with_images() {
        server.addChannel(vision, Map.of("models", List.of("mixed"), "priority", 10));
        server.addChannel(textOnly, Map.of("models", List.of("mixed"), "textOnlyModels", List.of("mixed")));
        vision.always(Reply.status(500, "vision upstream down"));
        textOnly.always(Reply.text("I cannot see images but here goes"));
        int textOnlyCalls = textOnly.calls();

        Api.Response withImage = api.post("/api/chat", Map.of("message", "look", "userId", user(), "model", "mixed",
                "images", List.of(image(TestImages.image("png", 8, 8, 2)))));
        assertThat(withImage.status()).isEqualTo(503);
        assertThat(textOnly.calls()).isEqualTo(textOnlyCalls);

        // Without images the same failover is fine.
        Api.Response text = api.post("/api/chat", Map.of("message", "hi", "userId", user(), "model", "mixed"));
        assertThat(text.status()).isEqualTo(200);
        assertThat(textOnly.calls()).isEqualTo(textOnlyCalls + 1);
    }
}
