package io.chatai.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.PythonSdk;
import io.chatai.testing.TestServerExtension;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The official OpenAI Python SDK meets a spent budget as OpenAI's own {@code insufficient_quota}: a
 * {@code RateLimitError} with that code, raised after one request although the SDK retries a 429 twice by
 * default ({@code x-should-retry: false}). Skipped, saying why, where python3 with the {@code openai} package
 * is missing.
 */
class BudgetPythonSdkIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withChannelFor(upstream);

    private static final String SCRIPT = """
            import json, os, time, openai
            sent = []
            http = openai.DefaultHttpxClient(event_hooks={"request": [lambda request: sent.append(str(request.url))]})
            client = openai.OpenAI(base_url=os.environ["BASE_URL"], api_key=os.environ["API_KEY"], http_client=http)
            results = {}
            for name, call in [
                    ("chat", lambda: client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])),
                    ("embeddings", lambda: client.embeddings.create(model="text-embedding-3-small", input="hello there, general"))]:
                sent.clear()
                started = time.monotonic()
                try:
                    call()
                    results[name] = {"class": None}
                except openai.APIStatusError as e:
                    results[name] = {"class": type(e).__name__, "status": e.status_code, "code": e.code,
                                     "type": e.type,
                                     "message": e.message, "requests": len(sent), "seconds": time.monotonic() - started}
            print(json.dumps(results))
            """;

    @Test
    void should_raise_the_sdks_insufficient_quota_error_at_once_on_chat_and_embeddings() throws Exception {
        Assumptions.assumeTrue(PythonSdk.available(), PythonSdk.MISSING);
        JsonNode key = server.admin().post("/api/keys", Map.of("name", "python-bot")).data();
        assertThat(server.admin().post("/api/budgets", Map.of("scope", "key", "subject", key.path("id").asText(),
                "period", "day", "maxTokens", 1, "message", "Out of AI credit until tomorrow.")).status()).isEqualTo(201);
        int calls = upstream.calls();

        JsonNode results = new ObjectMapper().readTree(PythonSdk.run(SCRIPT, Map.of("BASE_URL", server.baseUrl() + "/v1",
                "API_KEY", key.path("key").asText())));

        for (String call : new String[] {"chat", "embeddings"}) {
            JsonNode result = results.path(call);
            assertThat(result.path("class").asText()).as(call).isEqualTo("RateLimitError");
            assertThat(result.path("status").asInt()).isEqualTo(429);
            assertThat(result.path("code").asText()).isEqualTo("insufficient_quota");
            assertThat(result.path("type").asText()).isEqualTo("insufficient_quota");
            assertThat(result.path("message").asText()).contains("Out of AI credit until tomorrow.");
            assertThat(result.path("requests").asInt()).as("no retry of a spent budget").isEqualTo(1);
        }
        assertThat(upstream.calls()).isEqualTo(calls);
    }
}
