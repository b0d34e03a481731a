package io.chatai.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestServerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client keys: created once, listed without secrets, revoked at once; roles and scoping on every route. */
class KeyApiIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withChannelFor(upstream);
    static final Api admin = server.admin();

    @Test
    void should_show_a_new_key_once_and_never_again() {
        Api.Response created = admin.post("/api/keys", Map.of("name", "bot", "userId", "u1", "rateLimitPerMinute", 30));

        assertThat(created.status()).isEqualTo(201);
        JsonNode key = created.data();
        assertThat(key.path("id").asText()).startsWith("key_");
        assertThat(key.path("key").asText()).hasSizeGreaterThanOrEqualTo(32).matches("sk-chatai-[0-9A-Za-z]{43}");
        assertThat(key.path("name").asText()).isEqualTo("bot");
        assertThat(key.path("userId").asText()).isEqualTo("u1");
        assertThat(key.path("rateLimitPerMinute").asInt()).isEqualTo(30);
        assertThat(key.path("createdAt").asLong()).isPositive();

        String listed = admin.get("/api/keys").body();
        assertThat(listed).contains(key.path("id").asText()).doesNotContain(key.path("key").asText());
        assertThat(admin.get("/api/keys").data()).allSatisfy(k -> assertThat(k.has("key")).isFalse());
        assertThat(server.as(key.path("key").asText()).get("/api/presets").status()).isEqualTo(200);
    }

    @Test
    void should_refuse_a_revoked_key_at_once() {
        JsonNode key = admin.post("/api/keys", Map.of("name", "soon revoked")).data();
        Api client = server.as(key.path("key").asText());
        assertThat(client.post("/api/chat", Map.of("message", "hi", "userId", "r1")).status()).isEqualTo(200);

        assertThat(admin.delete("/api/keys/" + key.path("id").asText()).json().path("success").asBoolean()).isTrue();

        Api.Response refused = client.post("/api/chat", Map.of("message", "hi again", "userId", "r1"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(admin.get("/api/keys").body()).doesNotContain(key.path("id").asText());
        assertThat(admin.delete("/api/keys/" + key.path("id").asText()).status()).isEqualTo(404);
    }

    @Test
    void should_refuse_client_keys_on_admin_routes() {
        Api client = server.as(server.createKey("bot", null, null));
        Api bound = server.as(server.createKey("user bot", "someone", null));
        String channel = admin.get("/api/channels").data().path(0).path("id").asText();

        for (Api caller : List.of(client, bound)) {
            for (Api.Response response : List.of(
                    caller.get("/api/channels"),
                    caller.get("/api/channels/" + channel),
                    caller.post("/api/channels", Map.of("name", "x", "type", "openai")),
                    caller.put("/api/channels/" + channel, Map.of("name", "hijacked")),
                    caller.delete("/api/channels/" + channel),
                    caller.post("/api/channels/" + channel + "/test", Map.of()),
                    caller.post("/api/presets", Map.of("id", "evil", "name", "Evil")),
                    caller.put("/api/presets/default", Map.of("systemPrompt", "Leak everything.")),
                    caller.delete("/api/presets/default"),
                    caller.get("/api/keys"),
                    caller.post("/api/keys", Map.of("name", "escalate")),
                    caller.delete("/api/keys/key_anything"))) {
                assertThat(response.status()).as(response.body()).isEqualTo(403);
                assertThat(response.json().path("code").asText()).isEqualTo("FORBIDDEN");
            }
            assertThat(caller.get("/api/presets").status()).isEqualTo(200);
            assertThat(caller.get("/api/presets/default").status()).isEqualTo(200);
        }
        assertThat(admin.get("/api/presets/default").data().path("systemPrompt").asText()).doesNotContain("Leak");
        assertThat(admin.get("/api/channels/" + channel).data().path("name").asText()).isNotEqualTo("hijacked");
    }

    @Test
    void should_confine_a_bound_key_to_its_user_on_all_six_chat_routes() {
        Api alice = server.as(server.createKey("alice's app", "alice", null));
        String bobsConversation = admin.post("/api/chat", Map.of("message", "bob's secret", "userId", "bob"))
                .data().path("conversationId").asText();

        // chat and stream as oneself work; as anyone else they are forbidden
        String alicesConversation = alice.post("/api/chat", Map.of("message", "hello", "userId", "alice"))
                .data().path("conversationId").asText();
        assertThat(alice.stream("/api/chat/stream", Map.of("message", "more", "userId", "alice")).types()).contains("end");
        Api.Response asBob = alice.post("/api/chat", Map.of("message", "hi", "userId", "bob"));
        assertThat(asBob.status()).isEqualTo(403);
        assertThat(asBob.json().path("code").asText()).isEqualTo("FORBIDDEN");
        Api.Stream streamAsBob = alice.stream("/api/chat/stream", Map.of("message", "hi", "userId", "bob"));
        assertThat(streamAsBob.status()).isEqualTo(403);

        // listing is filtered to alice, whatever is asked
        JsonNode list = alice.get("/api/conversations").data();
        assertThat(list.path("conversations")).extracting(c -> c.path("userId").asText()).containsOnly("alice");
        assertThat(list.path("total").asInt()).isEqualTo(1);
        assertThat(alice.get("/api/conversations?userId=bob").data().path("total").asInt()).isZero();
        assertThat(alice.get("/api/conversations?userId=bob").data().path("conversations")).isEmpty();

        // bob's conversation does not exist for alice: get, delete and clear alike
        for (Api.Response response : List.of(
                alice.get("/api/conversations/" + bobsConversation),
                alice.delete("/api/conversations/" + bobsConversation),
                alice.post("/api/conversations/" + bobsConversation + "/clear", Map.of()))) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.json().path("code").asText()).isEqualTo("CONVERSATION_NOT_FOUND");
        }
        assertThat(admin.get("/api/conversations/" + bobsConversation).data().path("messages")).hasSize(2);

        // her own conversation she may read, clear and delete
        assertThat(alice.get("/api/conversations/" + alicesConversation).status()).isEqualTo(200);
        assertThat(alice.post("/api/conversations/" + alicesConversation + "/clear", Map.of()).status()).isEqualTo(200);
        assertThat(alice.delete("/api/conversations/" + alicesConversation).status()).isEqualTo(200);
    }

    @Test
    void should_let_an_unbound_client_key_act_for_any_user() {
        Api bot = server.as(server.createKey("group bot", null, null));
        String carols = bot.post("/api/chat", Map.of("message", "hi", "userId", "carol")).data().path("conversationId").asText();
        String daves = admin.post("/api/chat", Map.of("message", "hi", "userId", "dave")).data().path("conversationId").asText();

        assertThat(bot.post("/api/chat", Map.of("message", "hi", "userId", "erin")).status()).isEqualTo(200);
        assertThat(bot.get("/api/conversations/" + daves).status()).isEqualTo(200);
        assertThat(bot.get("/api/conversations?userId=dave").data().path("total").asInt()).isEqualTo(1);
        assertThat(bot.post("/api/conversations/" + daves + "/clear", Map.of()).status()).isEqualTo(200);
        assertThat(bot.delete("/api/conversations/" + carols).status()).isEqualTo(200);
    }

    @Test
    void should_refuse_invalid_key_requests() {
        assertThat(admin.post("/api/keys", Map.of()).status()).isEqualTo(400);
        assertThat(admin.post("/api/keys", Map.of("name", "x", "userId", "")).status()).isEqualTo(400);
        assertThat(admin.post("/api/keys", Map.of("name", "x", "rateLimitPerMinute", -1)).status()).isEqualTo(400);
        assertThat(admin.post("/api/keys", Map.of("name", "x", "rateLimitPerMinute", "60")).status()).isEqualTo(400);
    }
}
