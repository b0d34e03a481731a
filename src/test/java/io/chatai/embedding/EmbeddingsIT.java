package io.chatai.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.testing.Api;
import io.chatai.testing.FakeGemini;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServerExtension;
import io.chatai.tokens.TokenCounter;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /v1/embeddings} on the real server: passthrough to {@code openai} channels, translation to
 * Gemini's {@code batchEmbedContents}, failover, usage, OpenAI's errors, limits, and the built-in
 * {@code local-embedding} model end to end.
 */
class EmbeddingsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FakeOpenAi openai = new FakeOpenAi();
    static final FakeOpenAi spare = new FakeOpenAi();
    static final FakeGemini gemini = new FakeGemini();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults()
            .withEnv("CHATAI_USER_RATE_LIMIT_PER_MINUTE", "2")
            .withUpstreams(List.of(openai, spare, gemini));
    static final Api admin = server.admin();

    @BeforeEach
    void reset() {
        server.deleteChannels();
        List.of(openai, spare, gemini).forEach(FakeUpstream::resetScript);
    }

    private static Api.Response embed(Api api, Map<String, ?> body) {
        return api.post("/v1/embeddings", body);
    }

    private static JsonNode ok(Api.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private static float[] floats(JsonNode embedding) {
        if (embedding.isTextual()) {
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(embedding.textValue())).order(ByteOrder.LITTLE_ENDIAN);
            float[] vector = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(vector);
            return vector;
        }
        float[] vector = new float[embedding.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = embedding.get(i).floatValue();
        }
        return vector;
    }

    private static void assertOpenAiError(Api.Response response, int status, String type, String code, String messagePart) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = response.json().path("error");
        assertThat(response.json().has("success")).isFalse();
        assertThat(error.path("type").asText()).isEqualTo(type);
        if (code == null) {
            assertThat(error.path("code").isNull()).as(response.body()).isTrue();
        } else {
            assertThat(error.path("code").asText()).isEqualTo(code);
        }
        assertThat(error.path("message").asText()).contains(messagePart);
        assertThat(error.has("param")).isTrue();
    }

    /** The usage records written so far, oldest first, as column name to value. */
    private static List<Map<String, Object>> usage() {
        server.flushUsage();
        Map<String, String> env = TestDatabases.environmentFor(server.dataDir());
        String url = env.isEmpty() ? "jdbc:sqlite:" + server.dataDir().resolve("chatai.db") : env.get("CHATAI_DATABASE_URL");
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, env.get("CHATAI_DATABASE_USER"), env.get("CHATAI_DATABASE_PASSWORD"));
             ResultSet rs = connection.createStatement().executeQuery("SELECT model, channel, purpose, prompt_tokens, "
                     + "completion_tokens, estimated, outcome, user_id, route FROM usage_records ORDER BY id")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", rs.getString("model"));
                row.put("channel", rs.getString("channel"));
                row.put("purpose", rs.getString("purpose"));
                row.put("promptTokens", rs.getInt("prompt_tokens"));
                row.put("completionTokens", rs.getInt("completion_tokens"));
                row.put("estimated", rs.getBoolean("estimated"));
                row.put("outcome", rs.getString("outcome"));
                row.put("userId", rs.getString("user_id"));
                row.put("route", rs.getString("route"));
                rows.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static Map<String, Object> lastUsage() {
        return usage().getLast();
    }

    @Test
    void should_pass_the_body_through_to_an_openai_channel_unchanged_but_for_model() {
        server.addChannel(openai, Map.of("name", "oai", "models", List.of("my-embed"),
                "modelMapping", Map.of("my-embed", "text-embedding-3-small")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", "my-embed");
        body.put("input", List.of("the cat", "a kitten sleeps"));
        body.put("dimensions", 4);
        body.put("encoding_format", "float");
        body.put("user", "passthrough-user");
        body.put("truncate_prompt_tokens", 100);                   // a field only some servers know
        body.put("extra", Map.of("nested", List.of(1, 2.5, "x")));

        JsonNode answer = ok(embed(admin, body));

        JsonNode sent = openai.requests().getLast().body();
        Map<String, Object> expected = new LinkedHashMap<>(body);
        expected.put("model", "text-embedding-3-small");
        assertThat(sent).isEqualTo(JSON.valueToTree(expected));
        assertThat(openai.requests().getLast().path()).isEqualTo("/v1/embeddings");
        assertThat(openai.requests().getLast().apiKey()).isEqualTo("sk-test-0123456789");
        assertThat(answer.path("model").asText()).isEqualTo("my-embed");
        assertThat(answer.path("object").asText()).isEqualTo("list");
        assertThat(answer.path("data")).hasSize(2);
        assertThat(answer.path("data").path(1).path("index").asInt()).isEqualTo(1);
        assertThat(floats(answer.path("data").path(1).path("embedding")))
                .containsExactly(FakeUpstream.vectorOf("a kitten sleeps", 4));
        assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
        assertThat(lastUsage()).containsEntry("purpose", "embedding").containsEntry("model", "my-embed")
                .containsEntry("promptTokens", 5).containsEntry("completionTokens", 0).containsEntry("estimated", false)
                .containsEntry("outcome", "ok").containsEntry("userId", "passthrough-user").containsEntry("route", "v1");
    }

    @Test
    void should_pass_the_upstream_answer_back_whole_with_only_model_rewritten() {
        server.addChannel(openai, Map.of("models", List.of("bge-m3")));
        openai.always(Reply.rawError(200, """
                {"id": "embd-42", "object": "list", "created": 1700000000, "model": "BAAI/bge-m3",
                 "data": [{"index": 0, "object": "embedding", "embedding": "AACAPwAAAEA="}],
                 "usage": {"prompt_tokens": 3, "total_tokens": 3, "completion_tokens": 0, "prompt_tokens_details": null}}"""));

        JsonNode answer = ok(embed(admin, Map.of("model", "bge-m3", "input", "hello", "encoding_format", "base64")));

        assertThat(answer.path("id").asText()).isEqualTo("embd-42");
        assertThat(answer.path("created").asLong()).isEqualTo(1700000000L);
        assertThat(answer.path("model").asText()).isEqualTo("bge-m3");
        assertThat(answer.path("data").path(0).path("embedding").asText()).isEqualTo("AACAPwAAAEA="); // 1.0f, 2.0f
        assertThat(answer.path("usage").has("prompt_tokens_details")).isTrue();
        assertThat(answer.fieldNames()).toIterable().containsExactly("id", "object", "created", "model", "data", "usage");
    }

    @Test
    void should_send_token_arrays_to_openai_as_they_are() {
        server.addChannel(openai, Map.of("models", List.of("text-embedding-3-small")));

        JsonNode answer = ok(embed(admin, Map.of("model", "text-embedding-3-small", "input", List.of(List.of(9246, 1234), List.of(7)))));

        assertThat(openai.requests().getLast().body().path("input").toString()).isEqualTo("[[9246,1234],[7]]");
        assertThat(floats(answer.path("data").path(0).path("embedding")))
                .containsExactly(FakeUpstream.vectorOf("[9246,1234]", FakeOpenAi.EMBEDDING_DIMENSIONS));
        assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void should_translate_to_gemini_batch_embed_contents_and_count_usage_itself() {
        server.addChannel(gemini, Map.of("name", "gem", "models", List.of("gemini-embedding-001"), "apiKeys", List.of("AIza-secret-key-1")));
        List<String> texts = List.of("first text", "second one", "the third");

        int before = gemini.calls();
        JsonNode answer = ok(embed(admin, Map.of("model", "gemini-embedding-001", "input", texts, "dimensions", 5)));
        JsonNode base64 = ok(embed(admin, Map.of("model", "gemini-embedding-001", "input", texts, "dimensions", 5,
                "encoding_format", "base64")));

        FakeUpstream.Recorded call = gemini.requests().get(before);
        assertThat(call.path()).isEqualTo("/v1beta/models/gemini-embedding-001:batchEmbedContents");
        assertThat(call.apiKey()).isEqualTo("AIza-secret-key-1");
        assertThat(call.query()).doesNotContain("AIza");
        assertThat(call.body().path("requests")).hasSize(3);
        JsonNode first = call.body().path("requests").path(0);
        assertThat(first.path("model").asText()).isEqualTo("models/gemini-embedding-001");
        assertThat(first.path("content").path("parts").path(0).path("text").asText()).isEqualTo("first text");
        assertThat(first.path("outputDimensionality").asInt()).isEqualTo(5);
        assertThat(answer.path("object").asText()).isEqualTo("list");
        assertThat(answer.path("model").asText()).isEqualTo("gemini-embedding-001");
        for (int i = 0; i < texts.size(); i++) {
            JsonNode item = answer.path("data").path(i);
            assertThat(item.path("object").asText()).isEqualTo("embedding");
            assertThat(item.path("index").asInt()).isEqualTo(i);
            assertThat(floats(item.path("embedding"))).containsExactly(FakeUpstream.vectorOf(texts.get(i), 5));
            assertThat(floats(base64.path("data").path(i).path("embedding"))).containsExactly(FakeUpstream.vectorOf(texts.get(i), 5));
        }
        int counted = texts.stream().mapToInt(new TokenCounter()::count).sum();
        assertThat(answer.path("usage").path("prompt_tokens").asInt()).isEqualTo(counted);
        assertThat(answer.path("usage").path("total_tokens").asInt()).isEqualTo(counted);
        assertThat(lastUsage()).containsEntry("channel", "gem").containsEntry("purpose", "embedding")
                .containsEntry("promptTokens", counted).containsEntry("estimated", true);
    }

    @Test
    void should_split_more_than_a_hundred_inputs_into_gemini_batches_and_keep_their_order() {
        server.addChannel(gemini, Map.of("models", List.of("text-embedding-004")));
        List<String> texts = IntStream.range(0, 250).mapToObj(i -> "text number " + i).toList();
        int before = gemini.calls();

        JsonNode answer = ok(embed(admin, Map.of("model", "text-embedding-004", "input", texts)));

        assertThat(gemini.requests().subList(before, gemini.calls())).extracting(r -> r.body().path("requests").size()).containsExactly(100, 100, 50);
        assertThat(answer.path("data")).hasSize(250);
        assertThat(floats(answer.path("data").path(249).path("embedding")))
                .containsExactly(FakeUpstream.vectorOf("text number 249", FakeGemini.EMBEDDING_DIMENSIONS));
    }

    @Test
    void should_fail_over_from_a_channel_answering_500_to_the_next() {
        server.addChannel(openai, Map.of("name", "broken", "priority", 10, "models", List.of("text-embedding-3-large")));
        server.addChannel(gemini, Map.of("name", "backup", "models", List.of("text-embedding-3-large"),
                "modelMapping", Map.of("text-embedding-3-large", "gemini-embedding-001")));
        openai.always(Reply.status(500, "upstream exploded"));

        JsonNode answer = ok(embed(admin, Map.of("model", "text-embedding-3-large", "input", "hello")));

        assertThat(answer.path("model").asText()).isEqualTo("text-embedding-3-large");
        assertThat(gemini.requests().getLast().path()).contains("gemini-embedding-001:batchEmbedContents");
        List<Map<String, Object>> rows = usage().subList(usage().size() - 2, usage().size());
        assertThat(rows).extracting(r -> r.get("channel") + ":" + r.get("outcome") + ":" + r.get("purpose"))
                .containsExactly("broken:error:embedding", "backup:ok:embedding");
    }

    @Test
    void should_answer_404_model_not_found_for_a_model_no_channel_lists_or_every_channel_lacks() {
        assertOpenAiError(embed(admin, Map.of("model", "no-such-model", "input", "x")), 404, "invalid_request_error",
                "model_not_found", "no-such-model");

        server.addChannel(openai, Map.of("models", List.of("*")));
        openai.always(Reply.status(404, "The model `ghost` does not exist"));
        assertOpenAiError(embed(admin, Map.of("model", "ghost", "input", "x")), 404, "invalid_request_error",
                "model_not_found", "ghost");
        int calls = openai.calls();
        assertOpenAiError(embed(admin, Map.of("model", "ghost", "input", "x")), 404, "invalid_request_error",
                "model_not_found", "ghost");
        assertThat(openai.calls()).as("the missing model is skipped for a while, not asked again").isEqualTo(calls);
    }

    @Test
    void should_not_let_a_missing_embedding_model_stop_chat_with_that_name() {
        server.addChannel(openai, Map.of("models", List.of("gpt-4o-mini")));
        openai.script(body -> body.has("input") ? Reply.status(404, "not an embeddings model") : FakeOpenAi.echo(body));

        assertThat(embed(admin, Map.of("model", "gpt-4o-mini", "input", "x")).status()).isEqualTo(404);
        Api.Response chat = admin.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini",
                "messages", List.of(Map.of("role", "user", "content", "still there?"))));

        assertThat(chat.status()).as(chat.body()).isEqualTo(200);
    }

    @Test
    void should_refuse_with_400_a_model_served_only_by_channel_types_without_embeddings() {
        admin.post("/api/channels", Map.of("name", "claude", "type", "anthropic", "baseUrl", openai.baseUrl(),
                "apiKeys", List.of("sk-ant-x"), "models", List.of("claude-sonnet-4")));
        int before = openai.calls();

        assertOpenAiError(embed(admin, Map.of("model", "claude-sonnet-4", "input", "x")), 400, "invalid_request_error",
                "invalid_request", "[anthropic]");
        assertThat(openai.calls()).isEqualTo(before);
    }

    @Test
    void should_pass_an_upstream_400_413_and_422_through_with_their_status_and_message_and_not_fail_over() {
        server.addChannel(openai, Map.of("priority", 10, "models", List.of("text-embedding-3-small")));
        server.addChannel(spare, Map.of("models", List.of("text-embedding-3-small")));
        int before = spare.calls();

        openai.always(Reply.status(400, "This model's maximum context length is 8192 tokens"));
        assertOpenAiError(embed(admin, Map.of("model", "text-embedding-3-small", "input", "x")), 400,
                "invalid_request_error", null, "maximum context length is 8192 tokens");
        openai.always(Reply.status(413, "Request too large for text-embedding-3-small"));
        assertOpenAiError(embed(admin, Map.of("model", "text-embedding-3-small", "input", "x")), 413,
                "invalid_request_error", null, "Request too large");
        openai.always(Reply.status(422, "input: field required"));
        assertOpenAiError(embed(admin, Map.of("model", "text-embedding-3-small", "input", "x")), 422,
                "invalid_request_error", null, "field required");
        assertThat(spare.calls()).isEqualTo(before);
    }

    @Test
    void should_stop_an_embeddings_answer_that_never_ends_and_tell_the_sdks_not_to_retry() {
        server.addChannel(openai, Map.of("priority", 10, "models", List.of("text-embedding-3-small")));
        server.addChannel(spare, Map.of("models", List.of("text-embedding-3-small")));
        openai.always(Reply.text("x").with(Reply.Fault.ENDLESS_BODY));
        int closedBefore = openai.closedEarly();
        int spareBefore = spare.calls();

        Api.Response response = embed(admin, Map.of("model", "text-embedding-3-small", "input", "x"));

        assertOpenAiError(response, 502, "api_error", "model_error", "JSON body is larger than 33554432 bytes");
        assertThat(response.header("x-should-retry")).isEqualTo("false");
        assertThat(spare.calls()).as("a bound is not failed over").isEqualTo(spareBefore);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (openai.closedEarly() == closedBefore && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
        assertThat(openai.closedEarly()).as("the upstream saw its connection closed").isEqualTo(closedBefore + 1);
        assertThat(lastUsage()).containsEntry("channel", "fake-openai-" + openai.baseUrl().hashCode())
                .containsEntry("outcome", "error").containsEntry("purpose", "embedding");
    }

    @Test
    void should_embed_with_the_built_in_model_without_any_channel() {
        List<String> words = List.of("cat", "kitten", "car", "The weather is lovely today", "It is sunny and warm outside",
                "I need to fix my car's engine");

        JsonNode answer = ok(embed(admin, Map.of("model", "local-embedding", "input", words, "user", "local-user")));
        JsonNode base64 = ok(embed(admin, Map.of("model", "local-embedding", "input", words, "encoding_format", "base64",
                "dimensions", 384)));

        assertThat(answer.path("model").asText()).isEqualTo("local-embedding");
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            float[] vector = floats(answer.path("data").path(i).path("embedding"));
            assertThat(vector).hasSize(384);
            assertThat(Embeddings.cosine(vector, vector)).isCloseTo(1.0, within(1e-5));
            assertThat(floats(base64.path("data").path(i).path("embedding"))).containsExactly(vector);
            vectors.add(vector);
        }
        double catKitten = Embeddings.cosine(vectors.get(0), vectors.get(1));
        double catCar = Embeddings.cosine(vectors.get(0), vectors.get(2));
        assertThat(catKitten).isGreaterThan(catCar + 0.1);
        assertThat(Embeddings.cosine(vectors.get(3), vectors.get(4))).isGreaterThan(Embeddings.cosine(vectors.get(3), vectors.get(5)) + 0.3);
        int tokens = answer.path("usage").path("prompt_tokens").asInt();
        assertThat(tokens).isBetween(words.size(), 40);
        assertThat(answer.path("usage").path("total_tokens").asInt()).isEqualTo(tokens);
        assertThat(usage()).filteredOn(r -> "local-user".equals(r.get("userId"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("channel", "built-in").containsEntry("model", "local-embedding")
                        .containsEntry("promptTokens", tokens).containsEntry("estimated", false)
                        .containsEntry("purpose", "embedding").containsEntry("outcome", "ok"));
    }

    @Test
    void should_measure_embeddings_under_their_own_route_and_channel() {
        ok(embed(admin, Map.of("model", "local-embedding", "input", "measured")));

        assertThat(admin.get("/metrics").body()).contains("route=\"/v1/embeddings\"")
                .containsPattern("chatai_upstream_latency_seconds_count\\{[^}]*channel=\"built-in\"[^}]*model=\"local-embedding\"");
    }

    @Test
    void should_read_token_arrays_as_cl100k_text_for_the_built_in_model() {
        // "cat" and "kitten" in cl100k_base, as tiktoken and LangChain's OpenAIEmbeddings send them.
        var cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        List<int[]> tokens = List.of(cl100k.encode("cat").toArray(), cl100k.encode("kitten").toArray());
        JsonNode fromTokens = ok(embed(admin, Map.of("model", "local-embedding", "input", tokens)));
        JsonNode fromText = ok(embed(admin, Map.of("model", "local-embedding", "input", List.of("cat", "kitten"))));

        for (int i = 0; i < 2; i++) {
            assertThat(floats(fromTokens.path("data").path(i).path("embedding")))
                    .containsExactly(floats(fromText.path("data").path(i).path("embedding")));
        }
        assertOpenAiError(embed(admin, Map.of("model", "local-embedding", "input", List.of(999_999_999))), 400,
                "invalid_request_error", "invalid_request", "cl100k_base");
    }

    @Test
    void should_refuse_what_the_built_in_model_cannot_do() {
        assertOpenAiError(embed(admin, Map.of("model", "local-embedding", "input", "x", "dimensions", 256)), 400,
                "invalid_request_error", "invalid_request", "dimensions");
        assertOpenAiError(embed(admin, Map.of("model", "local-embedding", "input", List.of("fine", "  \n "))), 400,
                "invalid_request_error", "invalid_request", "input[1]");
    }

    @Test
    void should_list_the_built_in_model_and_let_only_a_channel_naming_it_take_it_over() {
        List<String> ids = new ArrayList<>();
        admin.get("/v1/models").json().path("data").forEach(m -> ids.add(m.path("id").asText()));
        assertThat(ids).contains("local-embedding");

        server.addChannel(openai, Map.of("models", List.of("*")));
        int openaiBefore = openai.calls();
        int spareBefore = spare.calls();
        ok(embed(admin, Map.of("model", "local-embedding", "input", "x")));
        assertThat(openai.calls()).as("a channel serving \"*\" does not take the built-in name").isEqualTo(openaiBefore);

        server.addChannel(spare, Map.of("models", List.of("local-embedding")));
        JsonNode answer = ok(embed(admin, Map.of("model", "local-embedding", "input", "x")));
        assertThat(spare.calls()).isEqualTo(spareBefore + 1);
        assertThat(answer.path("data").path(0).path("embedding")).hasSize(FakeOpenAi.EMBEDDING_DIMENSIONS);
    }

    @Test
    void should_refuse_malformed_and_oversized_inputs_with_400() {
        Map<String, Object> tooMany = Map.of("model", "local-embedding", "input", IntStream.range(0, 2049).mapToObj(i -> "t").toList());
        Map<String, Object> tooLong = Map.of("model", "local-embedding", "input", List.of("a".repeat(600_000), "b".repeat(400_001)));
        Map<String, Object> badFormat = Map.of("model", "local-embedding", "input", "x", "encoding_format", "int8");
        Map<String, Object> mixed = Map.of("model", "local-embedding", "input", List.of("x", 12));
        for (Map<String, ?> body : List.of(tooMany, tooLong, badFormat, mixed, Map.of("model", "local-embedding"),
                Map.of("model", "local-embedding", "input", List.of()), Map.of("model", "local-embedding", "input", ""),
                Map.of("input", "x"), Map.of("model", "local-embedding", "input", List.of(List.of())))) {
            Api.Response response = embed(admin, body);
            assertThat(response.status()).as(response.body()).isEqualTo(400);
            assertThat(response.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        }
        assertThat(embed(admin, tooMany).json().path("error").path("message").asText()).contains("2048");
        assertThat(embed(admin, tooLong).json().path("error").path("message").asText()).contains("1000000 characters");
    }

    @Test
    void should_apply_keys_and_the_per_key_and_per_user_limits() {
        assertOpenAiError(server.as("sk-wrong").post("/v1/embeddings", Map.of("model", "local-embedding", "input", "x")),
                401, "authentication_error", "unauthorized", "");
        Api oneAMinute = server.as(server.createKey("one-a-minute", null, 1));
        ok(embed(oneAMinute, Map.of("model", "local-embedding", "input", "x")));
        Api.Response limited = embed(oneAMinute, Map.of("model", "local-embedding", "input", "x"));
        assertOpenAiError(limited, 429, "rate_limit_error", "rate_limited", "key");
        assertThat(limited.header("Retry-After")).isNotNull();

        for (int i = 0; i < 2; i++) {
            ok(embed(admin, Map.of("model", "local-embedding", "input", "x", "user", "chatty")));
        }
        assertOpenAiError(embed(admin, Map.of("model", "local-embedding", "input", "x", "user", "chatty")), 429,
                "rate_limit_error", "rate_limited", "user");
        ok(embed(admin, Map.of("model", "local-embedding", "input", "x", "user", "quiet")));
        // Claude Code's JSON user id is longer than a user id: it counts through a hash, never failing.
        String longUser = "{\"device_id\":\"" + "f".repeat(64) + "\",\"session\":\"abc\"}";
        ok(embed(admin, Map.of("model", "local-embedding", "input", "x", "user", longUser)));
        assertThat(lastUsage().get("userId").toString()).startsWith("sha256:").hasSizeLessThanOrEqualTo(64);

        Api bound = server.as(server.createKey("bound", "owner", null));
        assertOpenAiError(embed(bound, Map.of("model", "local-embedding", "input", "x", "user", "someone-else")), 403,
                "permission_error", "forbidden", "");
        ok(embed(bound, Map.of("model", "local-embedding", "input", "x")));
        assertThat(lastUsage()).containsEntry("userId", "owner");
    }

    @Test
    void should_sum_embeddings_apart_from_chat_in_the_usage_stats() {
        server.addChannel(openai, Map.of("models", List.of("*")));
        admin.post("/v1/chat/completions", Map.of("model", "gpt-4o-mini", "messages", List.of(Map.of("role", "user", "content", "hi"))));
        ok(embed(admin, Map.of("model", "text-embedding-3-small", "input", "one two three")));
        server.flushUsage();

        Map<String, Long> byPurpose = new HashMap<>();
        admin.get("/api/stats/usage?groupBy=purpose").data().path("groups")
                .forEach(g -> byPurpose.put(g.path("key").asText(), g.path("requests").asLong()));
        JsonNode embeddingTotals = admin.get("/api/stats/usage?purpose=embedding").data().path("totals");

        assertThat(byPurpose).containsKeys("chat", "embedding");
        assertThat(embeddingTotals.path("requests").asLong()).isEqualTo(byPurpose.get("embedding"));
        assertThat(embeddingTotals.path("completionTokens").asLong()).isZero();
        assertThat(admin.get("/api/stats/usage?purpose=images").status()).isEqualTo(400);
    }
}
