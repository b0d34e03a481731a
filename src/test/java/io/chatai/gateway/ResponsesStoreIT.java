package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What {@code /v1/responses} keeps and for whom: a stored response is read and deleted by its key only, and
 * continued by {@code previous_response_id} only by that key; {@code store: false} keeps nothing. And what it
 * shares with chat completions: usage records with the caller's user, failover, budgets, errors in OpenAI's
 * shape, and the hosted tools it cannot run left out and named in {@code X-ChatAI-Omitted-Tools}.
 */
class ResponsesStoreIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    static final FakeOpenAi backup = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(List.of(upstream, backup));
    static final Api admin = server.admin();

    @AfterEach
    void reset() {
        upstream.resetScript();
        backup.resetScript();
        server.deleteChannels();
        for (JsonNode budget : admin.get("/api/budgets").json().path("data")) {
            admin.delete("/api/budgets/" + budget.path("id").asText());
        }
    }

    private static void oneChannel() {
        server.deleteChannels();
        server.addChannel(upstream, Map.of("name", "main", "models", List.of("*")));
    }

    private static Map<String, Object> ask(String text) {
        return new HashMap<>(Map.of("model", "gpt-test", "input", text));
    }

    @Test
    void should_let_only_the_owning_key_read_continue_and_delete_a_stored_response() {
        oneChannel();
        upstream.always(Reply.text("Paris."));
        Api owner = server.as(server.createKey("owner", null, null));
        Api other = server.as(server.createKey("other", null, null));
        JsonNode created = owner.post("/v1/responses", ask("Capital of France?")).json();
        String id = created.path("id").asText();

        Api.Response read = owner.get("/v1/responses/" + id);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(created);
        assertThat(other.get("/v1/responses/" + id).status()).isEqualTo(404);
        Map<String, Object> continued = ask("And of Italy?");
        continued.put("previous_response_id", id);
        Api.Response foreign = other.post("/v1/responses", continued);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.json().path("error").path("param").asText()).isEqualTo("previous_response_id");
        assertThat(other.delete("/v1/responses/" + id).status()).isEqualTo(404);

        upstream.always(Reply.text("Rome."));
        Api.Response next = owner.post("/v1/responses", continued);
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(upstream.received(upstream.requests().getLast()).messages()).extracting(ChatMessage::text)
                .containsExactly("Capital of France?", "Paris.", "And of Italy?");

        Api.Response deleted = owner.delete("/v1/responses/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(owner.get("/v1/responses/" + id).status()).isEqualTo(404);
        assertThat(owner.post("/v1/responses", continued).status()).isEqualTo(404);
    }

    @Test
    void should_continue_read_and_delete_a_response_on_another_instance_sharing_postgresql() throws Exception {
        assumeTrue(TestDatabases.postgresql(), "several instances share PostgreSQL");
        Path dataDir = TestServer.newDataDir();
        try (FakeOpenAi shared = new FakeOpenAi();
             TestServer first = TestServer.start(dataDir, Map.of());
             TestServer second = TestServer.start(dataDir, Map.of())) {
            first.addChannel(shared, Map.of("name", "shared", "models", List.of("*")));
            String key = first.createKey("bot", null, null);
            shared.always(Reply.text("Paris."));
            String id = first.as(key).post("/v1/responses", ask("Capital of France?")).json().path("id").asText();
            Map<String, Object> continued = ask("And of Italy?");
            continued.put("previous_response_id", id);
            shared.always(Reply.text("Rome."));
            long deadline = System.nanoTime() + 10_000_000_000L;
            Api.Response next = second.as(key).post("/v1/responses", continued);
            while (next.status() == 404 && next.body().contains("model_not_found") && System.nanoTime() < deadline) {
                Thread.sleep(200); // until the second instance's config poll sees the channel
                next = second.as(key).post("/v1/responses", continued);
            }

            assertThat(next.status()).as(next.body()).isEqualTo(200);
            assertThat(shared.received(shared.requests().getLast()).messages()).extracting(ChatMessage::text)
                    .containsExactly("Capital of France?", "Paris.", "And of Italy?");
            assertThat(second.as(key).get("/v1/responses/" + id).status()).isEqualTo(200);
            assertThat(second.admin().get("/v1/responses/" + id).status()).as("another key").isEqualTo(404);
            assertThat(second.as(key).delete("/v1/responses/" + id).status()).isEqualTo(200);
            assertThat(first.as(key).get("/v1/responses/" + id).status()).isEqualTo(404);
        }
    }

    @Test
    void should_apply_the_key_limit_and_the_users_a_key_may_act_for() {
        oneChannel();
        upstream.always(Reply.text("Hi."));
        Api limited = server.as(server.createKey("limited", null, 1));
        Api bound = server.as(server.createKey("bound", "ann", null));

        assertThat(limited.post("/v1/responses", ask("one")).status()).isEqualTo(200);
        Api.Response refused = limited.post("/v1/responses", ask("two"));
        Map<String, Object> other = ask("hello");
        other.put("user", "bob");
        Api.Response foreignUser = bound.post("/v1/responses", other);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.json().path("error").path("type").asText()).isEqualTo("rate_limit_error");
        assertThat(foreignUser.status()).isEqualTo(403);
        assertThat(foreignUser.json().path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void should_keep_nothing_with_store_false() {
        oneChannel();
        upstream.always(Reply.text("Paris."));
        Map<String, Object> body = ask("Capital of France?");
        body.put("store", false);
        JsonNode created = admin.post("/v1/responses", body).json();
        assertThat(created.path("store").asBoolean()).isFalse();
        assertThat(admin.get("/v1/responses/" + created.path("id").asText()).status()).isEqualTo(404);
    }

    @Test
    void should_record_usage_for_the_user_and_fail_over_like_chat_completions() {
        server.deleteChannels();
        server.addChannel(upstream, Map.of("name", "first", "models", List.of("*"), "priority", 10));
        server.addChannel(backup, Map.of("name", "second", "models", List.of("*"), "priority", 1));
        upstream.always(Reply.status(500, "down"));
        backup.always(Reply.text("Paris."));
        Map<String, Object> body = ask("Capital of France?");
        body.put("user", "zoe");

        Api.Response answer = admin.post("/v1/responses", body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("Paris.");
        assertThat(upstream.calls()).isPositive();
        server.flushUsage();
        JsonNode totals = admin.get("/api/stats/usage?userId=zoe").json().path("data").path("totals");
        assertThat(totals.path("requests").asLong()).isEqualTo(1); // one request, answered by the second channel
        assertThat(totals.path("failures").asLong()).isEqualTo(1);
    }

    @Test
    void should_refuse_a_key_past_its_budget_with_insufficient_quota_and_call_nothing() {
        oneChannel();
        JsonNode key = admin.post("/api/keys", Map.of("name", "spent")).json().path("data");
        admin.post("/api/budgets", Map.of("scope", "key", "subject", key.path("id").asText(), "period", "month", "maxTokens", 1));
        int calls = upstream.calls();

        Api.Response refused = server.as(key.path("key").asText()).post("/v1/responses", ask("Hello"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(429);
        assertThat(refused.json().path("error").path("code").asText()).isEqualTo("insufficient_quota");
        assertThat(upstream.calls()).isEqualTo(calls);
    }

    @Test
    void should_leave_out_hosted_tools_and_name_them_in_a_header() {
        oneChannel();
        upstream.always(Reply.text("Done."));
        Map<String, Object> body = ask("Search the web");
        body.put("tools", List.of(Map.of("type", "web_search"), Map.of("type", "code_interpreter", "container", Map.of("type", "auto")),
                Map.of("type", "function", "name", "lookup", "parameters", Map.of("type", "object")),
                Map.of("type", "namespace", "name", "crm", "description", "CRM", "tools",
                        List.of(Map.of("type", "function", "name", "find_customer", "parameters", Map.of("type", "object"))))));

        Api.Response answer = admin.post("/v1/responses", body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.header("X-ChatAI-Omitted-Tools")).isEqualTo("web_search, code_interpreter");
        assertThat(upstream.received(upstream.requests().getLast()).toolNames()).containsExactly("lookup", "find_customer");

        body.put("tool_choice", Map.of("type", "web_search"));
        Api.Response forced = admin.post("/v1/responses", body);
        assertThat(forced.status()).isEqualTo(400);
        assertThat(forced.json().path("error").path("param").asText()).isEqualTo("tool_choice");
    }

    @Test
    void should_answer_mistakes_in_openai_shape() {
        server.deleteChannels();
        Api.Response noModel = admin.post("/v1/responses", Map.of("model", "gpt-test", "input", "hi"));
        Api.Response badItem = admin.post("/v1/responses", Map.of("model", "gpt-test", "input",
                List.of(Map.of("type", "web_search_call", "id", "ws_1"))));
        Api.Response badKey = server.as("sk-wrong").post("/v1/responses", ask("hi"));

        assertThat(noModel.status()).isEqualTo(404);
        assertThat(noModel.json().path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(badItem.status()).isEqualTo(400);
        assertThat(badItem.json().path("error").path("param").asText()).isEqualTo("input[0].type");
        assertThat(badKey.status()).isEqualTo(401);
        assertThat(badKey.json().path("error").path("type").asText()).isEqualTo("authentication_error");
    }
}
