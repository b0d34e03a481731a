package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Chat API end to end over every provider type: a channel of that type in front of its wire-format fake. */
class ProviderChatIT {
    /** Started once for the class, hence autoCloseArguments = false below. */
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeAnthropic(), new FakeGemini());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static final Api api = server.admin();

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    static String use(FakeUpstream fake) {
        fake.resetScript();
        server.deleteChannels();
        return server.addChannel(fake, Map.of("name", fake.type(), "models", List.of("*")));
    }

    static String user() {
        return "p" + System.nanoTime();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_chat_with_the_system_prompt_where_the_provider_expects_it_and_its_own_usage(FakeUpstream fake) {
        use(fake);
        String user = user();
        api.post("/api/chat", Map.of("message", "first", "userId", user));

        Api.Response second = api.post("/api/chat", Map.of("message", "second", "userId", user));

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.data().path("response").asText()).isEqualTo("echo(4): second");
        JsonNode usage = second.data().path("usage");
        assertThat(usage.path("promptTokens").asInt()).isEqualTo(11);
        assertThat(usage.path("completionTokens").asInt()).isEqualTo(2);
        assertThat(usage.has("estimated")).isFalse();
        FakeUpstream.Recorded sent = fake.requests().getLast();
        assertThat(fake.systemPromptOf(sent)).startsWith("You are a helpful assistant. Today is ");
        assertThat(fake.conversationOf(sent)).containsExactly("user: first", "assistant: echo(2): first", "user: second");
        assertThat(sent.model()).isEqualTo("gpt-4o-mini");
        assertThat(sent.apiKey()).isEqualTo("sk-test-0123456789");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_stream_with_the_system_prompt_and_the_providers_own_usage(FakeUpstream fake) {
        use(fake);
        fake.always(Reply.text("I'm ", "doing ", "great!"));

        Api.Stream stream = api.stream("/api/chat/stream", Map.of("message", "How are you?", "userId", user()));

        assertThat(stream.types()).containsExactly("start", "content", "content", "content", "end");
        assertThat(stream.text()).isEqualTo("I'm doing great!");
        JsonNode usage = stream.events().getLast().path("usage");
        assertThat(usage.path("promptTokens").asInt()).isEqualTo(11);
        assertThat(usage.path("completionTokens").asInt()).isEqualTo(3);
        assertThat(fake.systemPromptOf(fake.requests().getLast())).startsWith("You are a helpful assistant.");
        assertThat(fake.conversationOf(fake.requests().getLast())).containsExactly("user: How are you?");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_count_usage_when_the_provider_reports_none(FakeUpstream fake) {
        use(fake);
        fake.always(Reply.text("no usage here").withoutUsage());

        JsonNode usage = api.post("/api/chat", Map.of("message", "hi", "userId", user())).data().path("usage");

        assertThat(usage.path("estimated").asBoolean()).isTrue();
        assertThat(usage.path("completionTokens").asInt()).isPositive();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_test_a_channel_with_a_real_call(FakeUpstream fake) {
        String id = use(fake);
        fake.always(Reply.text("OK"));
        int before = fake.calls();

        JsonNode result = api.post("/api/channels/" + id + "/test", Map.of("model", "probe-model")).data();

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("latencyMs").asLong()).isNotNegative();
        assertThat(result.path("model").asText()).isEqualTo("probe-model");
        assertThat(fake.calls() - before).isEqualTo(1);
        assertThat(fake.requests().getLast().model()).isEqualTo("probe-model");
        fake.always(Reply.status(403, "permission denied"));
        JsonNode failed = api.post("/api/channels/" + id + "/test", Map.of()).data();
        assertThat(failed.path("ok").asBoolean()).isFalse();
        assertThat(failed.path("error").asText()).contains("403");
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_close_the_upstream_connection_within_a_second_of_the_client_leaving(FakeUpstream fake) throws Exception {
        use(fake);
        String user = user();
        fake.always(Reply.text("tick ".repeat(200).split("(?<= )")).withGap(Duration.ofMillis(50)));
        int closedBefore = fake.closedEarly();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = api.request("/api/chat/stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"message\":\"go\",\"userId\":\"" + user + "\"}")).build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        assertThat(new String(body.readNBytes(200), StandardCharsets.UTF_8)).contains("\"type\":\"start\"");
        long left = System.nanoTime();
        body.close();
        client.close();

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (fake.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(fake.closedEarly()).as("the upstream saw its connection closed").isEqualTo(closedBefore + 1);
        assertThat(Duration.ofNanos(fake.lastDisconnectNanos() - left)).isLessThan(Duration.ofSeconds(1));
        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
    }
}
