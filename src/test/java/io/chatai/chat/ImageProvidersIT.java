package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.ImageSource;
import io.chatai.core.message.Part;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestImages;
import io.chatai.testing.TestServerExtension;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An image URL sent to the Chat API reaches Gemini (which fetches no URLs) and Anthropic as inline bytes in
 * their own wire formats, read back by each fake's own parser, on the turn and on a later one.
 */
class ImageProvidersIT {
    static final FakeGemini gemini = new FakeGemini();
    static final FakeAnthropic anthropic = new FakeAnthropic();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_IMAGE_FETCH_ALLOW_PRIVATE", "true").withUpstreams(List.of(gemini, anthropic));
    static final Api api = server.admin();
    static final TestImages images = new TestImages();

    @BeforeAll
    static void start() {
        images.start();
    }

    @AfterAll
    static void stop() {
        images.close();
    }

    @Test
    void should_send_a_fetched_image_inline_to_gemini_and_anthropic_on_every_turn() {
        for (FakeUpstream fake : List.of(gemini, anthropic)) {
            server.resetChannels(fake);
            fake.always(Reply.text("a picture"));
            byte[] jpeg = TestImages.image("jpg", 20, 20, fake.hashCode());
            String user = "u" + System.nanoTime();
            Api.Response first = api.post("/api/chat", Map.of("message", "see", "userId", user,
                    "images", List.of(Map.of("url", images.serve("/" + fake.type() + ".jpg", jpeg)))));
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            api.post("/api/chat", Map.of("message", "again", "userId", user));
            Part.Image sent = (Part.Image) fake.received(fake.requests().getLast()).messages().getFirst().content().stream()
                    .filter(Part.Image.class::isInstance).findFirst().orElseThrow();
            assertThat(sent.source()).as(fake.type())
                    .isEqualTo(new ImageSource.Inline("image/jpeg", Base64.getEncoder().encodeToString(jpeg)));
        }
    }
}
