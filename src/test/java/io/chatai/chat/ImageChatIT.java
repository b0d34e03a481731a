package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.image.ImageIntake;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestImages;
import io.chatai.testing.TestServerExtension;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Images on the Chat API: fetched at once from a link that later dies, stored once per content with the
 * turn, sent inline to the model on later turns, shown and served by the conversation, gone with it.
 */
class ImageChatIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_IMAGE_FETCH_ALLOW_PRIVATE", "true") // the image host is on loopback
            .withEnv("CHATAI_MAX_IMAGE_BYTES", "2000000")
            .withUpstream(upstream);
    static final Api api = server.admin();
    static final TestImages images = new TestImages();

    @BeforeAll
    static void startImages() {
        images.start();
    }

    @AfterAll
    static void stopImages() {
        images.close();
    }

    @BeforeEach
    void channel() {
        upstream.always(Reply.text("I see a gradient."));
        server.resetChannels(upstream);
    }

    private static String user() {
        return "u" + System.nanoTime();
    }

    /** The data URLs of the images in one upstream message. */
    private static List<String> imageUrls(JsonNode message) {
        return message.path("content").findValues("image_url").stream().map(n -> n.path("url").asText()).toList();
    }

    @Test
    void should_keep_sending_a_fetched_image_after_its_link_expired() {
        TestImages host = new TestImages().start();
        byte[] png = TestImages.image("png", 40, 30, 7);
        String url = host.serve("/qq/expiring.png", png);
        String user = user();
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);

        Api.Response first = api.post("/api/chat", Map.of("message", "What is this?", "userId", user,
                "images", List.of(Map.of("url", url))));
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(imageUrls(upstream.requests().getLast().messages().getLast())).containsExactly(dataUrl);

        host.stop(); // the platform's link is dead now
        Api.Response second = api.post("/api/chat", Map.of("message", "And the colours?", "userId", user));
        assertThat(second.status()).isEqualTo(200);
        List<JsonNode> sent = upstream.requests().getLast().messages();
        assertThat(sent).extracting(m -> m.path("role").asText()).containsExactly("system", "user", "assistant", "user");
        assertThat(imageUrls(sent.get(1))).containsExactly(dataUrl);

        String conversationId = first.data().path("conversationId").asText();
        JsonNode messages = api.get("/api/conversations/" + conversationId).data().path("messages");
        JsonNode image = messages.get(0).path("images").get(0);
        assertThat(image.path("id").asText()).isEqualTo(ImageIntake.sha256(png));
        assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
        assertThat(image.path("width").asInt()).isEqualTo(40);
        assertThat(image.path("height").asInt()).isEqualTo(30);
        assertThat(messages.get(1).has("images")).isFalse();

        // The stored message refers to the image by its hash; its bytes are not copied into the parts.
        String rows = TestDatabases.dumpTable(server.dataDir(), "messages");
        assertThat(rows).contains("\"type\":\"stored\",\"id\":\"" + ImageIntake.sha256(png) + "\"")
                .doesNotContain(Base64.getEncoder().encodeToString(png));

        HttpResponse<byte[]> served = api.getBytes(image.path("url").asText());
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(png);
        assertThat(served.headers().firstValue("Cache-Control").orElse("")).startsWith("private");
        assertThat(served.headers().firstValue("Content-Type")).contains("image/png");
    }

    @Test
    void should_accept_an_image_only_message_in_base64_and_stream_it() {
        byte[] jpeg = TestImages.image("jpg", 32, 16, 9);
        Api.Stream stream = api.stream("/api/chat/stream", Map.of("userId", user(),
                "images", List.of(Map.of("data", Base64.getEncoder().encodeToString(jpeg), "mimeType", "image/jpeg"))));
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.text()).isEqualTo("I see a gradient.");
        JsonNode user = upstream.requests().getLast().messages().getLast();
        assertThat(imageUrls(user)).containsExactly("data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
        assertThat(user.path("content").findValues("text")).isEmpty(); // no empty text part beside the image
    }

    @Test
    void should_store_the_same_bytes_once_and_delete_them_with_the_last_conversation_using_them() {
        byte[] gif = TestImages.image("gif", 12, 12, 42);
        String hash = ImageIntake.sha256(gif);
        Map<String, String> image = Map.of("data", Base64.getEncoder().encodeToString(gif), "mimeType", "image/gif");
        String a = api.post("/api/chat", Map.of("message", "one", "userId", user(), "images", List.of(image, image)))
                .data().path("conversationId").asText();
        String b = api.post("/api/chat", Map.of("message", "two", "userId", user(), "images", List.of(image)))
                .data().path("conversationId").asText();
        assertThat(storedImages(hash)).isEqualTo(1);

        assertThat(api.delete("/api/conversations/" + a).status()).isEqualTo(200);
        assertThat(storedImages(hash)).isEqualTo(1); // b still shows it
        assertThat(api.getBytes("/api/conversations/" + b + "/images/" + hash).body()).isEqualTo(gif);
        assertThat(api.post("/api/conversations/" + b + "/clear", Map.of()).status()).isEqualTo(200);
        assertThat(storedImages(hash)).isZero();
    }

    private static long storedImages(String hash) {
        return TestDatabases.dumpTable(server.dataDir(), "images").lines().filter(l -> l.startsWith(hash + "|")).count();
    }

    @Test
    void should_count_an_image_in_the_context_budget() {
        String preset = "tight" + System.nanoTime();
        api.post("/api/presets", Map.of("id", preset, "name", "Tight", "systemPrompt", "", "maxContextTokens", 600));
        String user = user();
        byte[] big = TestImages.image("png", 1024, 1024, 1); // 4 tiles: 765 tokens, more than the whole budget
        api.post("/api/chat", Map.of("message", "look", "userId", user, "preset", preset, "images",
                List.of(Map.of("data", Base64.getEncoder().encodeToString(big), "mimeType", "image/png"))));
        api.post("/api/chat", Map.of("message", "look again", "userId", user, "preset", preset));
        assertThat(upstream.requests().getLast().messages()).hasSize(1); // the image's turn no longer fits

        String other = user();
        api.post("/api/chat", Map.of("message", "look", "userId", other, "preset", preset));
        api.post("/api/chat", Map.of("message", "look again", "userId", other, "preset", preset));
        assertThat(upstream.requests().getLast().messages()).hasSize(3); // the same turn without the image does
    }

    @Test
    void should_serve_an_image_only_to_whoever_may_read_its_conversation() {
        byte[] png = TestImages.image("png", 8, 8, 3);
        String owner = user();
        String conversation = api.post("/api/chat", Map.of("message", "mine", "userId", owner, "images",
                List.of(Map.of("data", Base64.getEncoder().encodeToString(png), "mimeType", "image/png"))))
                .data().path("conversationId").asText();
        String path = "/api/conversations/" + conversation + "/images/" + ImageIntake.sha256(png);
        Api stranger = server.as(server.createKey("stranger", "someone-else", null));
        assertThat(stranger.getBytes(path).statusCode()).isEqualTo(404);
        Api ownerKey = server.as(server.createKey("owner", owner, null));
        assertThat(ownerKey.getBytes(path).body()).isEqualTo(png);
        // An image of another conversation is not served through this one.
        String other = api.post("/api/chat", Map.of("message", "other", "userId", owner, "newConversation", true))
                .data().path("conversationId").asText();
        assertThat(api.getBytes("/api/conversations/" + other + "/images/" + ImageIntake.sha256(png)).statusCode()).isEqualTo(404);
    }

    @Test
    void should_refuse_dead_links_and_non_images_without_committing_anything() {
        String user = user();
        int calls = upstream.calls();
        Api.Response dead = api.post("/api/chat", Map.of("message", "look", "userId", user,
                "images", List.of(Map.of("url", images.serve("/ok.png", TestImages.image("png", 4, 4, 1))),
                        Map.of("url", images.url("/gone.png")))));
        assertThat(dead.status()).isEqualTo(400);
        assertThat(dead.json().path("code").asText()).isEqualTo("IMAGE_FETCH_FAILED");
        assertThat(dead.json().path("details").path("index").asInt()).isEqualTo(1);

        Api.Response html = api.post("/api/chat", Map.of("message", "look", "userId", user,
                "images", List.of(Map.of("url", images.serve("/page.html", "<html></html>".getBytes())))));
        assertThat(html.status()).isEqualTo(400);
        assertThat(html.json().path("code").asText()).isEqualTo("INVALID_REQUEST");

        Api.Response tooMany = api.post("/api/chat", Map.of("message", "look", "userId", user,
                "images", List.of(Map.of("url", "http://a"), Map.of("url", "http://b"), Map.of("url", "http://c"),
                        Map.of("url", "http://d"), Map.of("url", "http://e"))));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body()).contains("CHATAI_MAX_IMAGES");

        Api.Response big = api.post("/api/chat", Map.of("message", "look", "userId", user,
                "images", List.of(Map.of("data", Base64.getEncoder().encodeToString(new byte[2_100_000]), "mimeType", "image/png"))));
        assertThat(big.status()).isEqualTo(413);

        assertThat(upstream.calls()).isEqualTo(calls);
        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
    }
}
