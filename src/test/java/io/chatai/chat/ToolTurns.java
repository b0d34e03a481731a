package io.chatai.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.Json;
import io.chatai.testing.Api;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServerExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the tool-turn tests share: connecting the MCP test server, presets with tools, and reading a turn back. */
final class ToolTurns {
    private ToolTurns() {
    }

    static String user() {
        return "t" + System.nanoTime();
    }

    static JsonNode json(String text) {
        return Json.parseObject(text);
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Adds the MCP server and waits until it is connected. */
    static void connect(Api api, String name, String url) throws InterruptedException {
        assertThat(api.post("/api/tools/servers", Map.of("name", name, "url", url, "timeoutMs", 5_000)).status())
                .isEqualTo(201);
        long started = System.nanoTime();
        while (!connected(api, name)) {
            if (System.nanoTime() - started > 30_000_000_000L) {
                throw new AssertionError("tool server " + name + " did not connect: " + api.get("/api/tools/servers").body());
            }
            Thread.sleep(100);
        }
    }

    private static boolean connected(Api api, String name) {
        for (JsonNode server : api.get("/api/tools/servers").data()) {
            if (server.path("name").asText().equals(name)) {
                return server.path("status").asText().equals("connected");
            }
        }
        return false;
    }

    static void preset(Api api, String id, Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("id", id);
        body.put("name", id);
        Api.Response created = api.post("/api/presets", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    /** The conversation shows question and answer; with tools, the call and its result between them. */
    static void assertStoredAdditionTurn(Api api, String conversationId, String answer) {
        JsonNode plain = api.get("/api/conversations/" + conversationId).data();
        assertThat(plain.path("messages")).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant");
        assertThat(plain.path("messages").get(1).path("content").asText()).isEqualTo(answer);
        assertThat(plain.path("messages").get(1).has("toolCalls")).isFalse();
        assertThat(plain.path("messageCount").asInt()).isEqualTo(2);

        JsonNode withTools = api.get("/api/conversations/" + conversationId + "?include=tools").data();
        JsonNode messages = withTools.path("messages");
        assertThat(messages).extracting(m -> m.path("role").asText()).containsExactly("user", "assistant", "tool", "assistant");
        JsonNode call = messages.get(1).path("toolCalls").get(0);
        assertThat(fields(call)).containsExactly("id", "name", "arguments");
        assertThat(call.path("name").asText()).isEqualTo("kit.add");
        assertThat(call.path("arguments")).isEqualTo(json("{\"a\":2,\"b\":40}"));
        assertThat(messages.get(2).path("toolCallId").asText()).isEqualTo(call.path("id").asText());
        assertThat(messages.get(2).path("content").asText()).isEqualTo("42");
        assertThat(messages.get(2).path("isError").asBoolean()).isFalse();
        assertThat(messages.get(3).path("content").asText()).isEqualTo(answer);
        assertThat(messages.get(3).has("toolCalls")).isFalse();
        assertThat(withTools.toString()).doesNotContain("SECRET-THOUGHT");
    }

    /** The turn's tool calls are in the execution log, and its model calls share one turn id in the usage rows. */
    static void assertRecorded(TestServerExtension server, String conversationId, List<String> tools, int modelCalls) {
        List<List<String>> executions = TestDatabases.query(server.dataDir(), "SELECT tool, success, result_bytes, "
                + "turn_id, key_id, user_id FROM tool_executions WHERE conversation_id = '" + conversationId + "' ORDER BY id");
        assertThat(executions).extracting(row -> row.get(0)).containsExactlyElementsOf(tools);
        assertThat(executions).allSatisfy(row -> {
            assertThat(row.get(3)).startsWith("turn_");
            assertThat(row.get(4)).isNotEmpty();
            assertThat(row.get(5)).isNotEmpty();
        });
        server.flushUsage();
        List<List<String>> usage = TestDatabases.query(server.dataDir(), "SELECT turn_id FROM usage_records "
                + "WHERE conversation_id = '" + conversationId + "'");
        assertThat(usage).hasSize(modelCalls);
        assertThat(Set.copyOf(usage.stream().map(row -> row.getFirst()).toList()))
                .containsExactly(executions.getFirst().get(3));
    }

    static boolean isTrue(String stored) {
        return stored.equals("1") || stored.equals("t") || stored.equals("true");
    }
}
