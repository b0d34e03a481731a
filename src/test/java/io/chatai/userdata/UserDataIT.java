package io.chatai.userdata;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.Reply;
import io.chatai.testing.TestServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/users/:userId/data}: one user's data exported whole, then erased whole, nobody else's touched. */
class UserDataIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);
    static final Api api = server.admin();

    @BeforeEach
    void channel() {
        upstream.always(Reply.text("Noted."));
        server.resetChannels(upstream);
    }

    private static String user() {
        return "u" + System.nanoTime();
    }

    private static void chatAs(String user, String groupId, String message, String requestId) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("message", message, "userId", user, "requestId", requestId));
        if (groupId != null) {
            body.put("groupId", groupId);
        }
        assertThat(api.post("/api/chat", body).status()).isEqualTo(200);
    }

    @Test
    void should_export_then_erase_everything_about_one_user_and_keep_usage_under_a_hash() {
        String user = user();
        String other = user();
        chatAs(user, null, "My name is Ada", "r1");
        chatAs(user, "g1", "Hello group", "r2");
        chatAs(other, "g1", "I am someone else", "r3");
        api.post("/api/memories", Map.of("userId", user, "text", "The user is called Ada"));
        api.post("/api/memories", Map.of("userId", other, "text", "The other user likes tea"));
        server.flushUsage();
        long tokens = api.get("/api/stats/usage?userId=" + user).data().path("totals").path("totalTokens").asLong();
        assertThat(tokens).isPositive();

        JsonNode export = api.get("/api/users/" + user + "/data").data();
        assertThat(export.path("userId").asText()).isEqualTo(user);
        assertThat(export.path("conversations")).hasSize(2);
        assertThat(export.path("conversations").get(0).path("messages").get(0).path("content").asText()).isEqualTo("My name is Ada");
        assertThat(export.path("conversations").get(1).path("groupId").asText()).isEqualTo("g1");
        assertThat(export.path("memories")).hasSize(1);
        assertThat(export.toString()).doesNotContain("someone else").doesNotContain("tea");

        Api.Response erased = api.delete("/api/users/" + user + "/data");
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.data().toString()).isEqualTo("{\"conversations\":2,\"messages\":4,\"images\":0,\"memories\":1}");

        assertThat(api.get("/api/conversations?userId=" + user).data().path("total").asInt()).isZero();
        assertThat(api.get("/api/memories?userId=" + user).data().path("total").asInt()).isZero();
        assertThat(api.get("/api/stats/usage?userId=" + user).data().path("totals").path("totalTokens").asLong()).isZero();
        assertThat(api.get("/api/stats/usage?userId=" + UserDataRepository.pseudonym(user)).data()
                .path("totals").path("totalTokens").asLong()).isEqualTo(tokens);
        int calls = upstream.calls();
        chatAs(user, null, "My name is Ada", "r1"); // the idempotency record went too: this is a new turn
        assertThat(upstream.calls()).isEqualTo(calls + 1);
        assertThat(server.dataDir()).isNotNull();

        assertThat(api.get("/api/conversations?userId=" + other).data().path("total").asInt()).isEqualTo(1);
        assertThat(api.get("/api/memories?userId=" + other).data().path("total").asInt()).isEqualTo(1);
        JsonNode second = api.delete("/api/users/" + user + "/data").data();
        assertThat(second.path("conversations").asInt()).isEqualTo(1);
    }

    @Test
    void should_let_only_the_admin_or_an_unbound_key_erase_and_a_bound_key_export_only_its_own() {
        String user = user();
        chatAs(user, null, "Hi", "r1");
        Api bound = server.as(server.createKey("bound", user, null));
        Api unbound = server.as(server.createKey("bot", null, null));

        assertThat(bound.delete("/api/users/" + user + "/data").json().path("code").asText()).isEqualTo("FORBIDDEN");
        assertThat(bound.get("/api/users/" + user + "/data").data().path("conversations")).hasSize(1);
        assertThat(bound.get("/api/users/someone-else/data").status()).isEqualTo(404);
        assertThat(unbound.delete("/api/users/" + user + "/data").data().path("conversations").asInt()).isEqualTo(1);
        assertThat(api.get("/api/users/" + "x".repeat(65) + "/data").status()).isEqualTo(400);
    }

    private static void awaitUpstreamRequestContaining(String text) throws InterruptedException {
        awaitUpstream(r -> r.body().toString().contains(text));
    }

    private static void awaitUpstream(java.util.function.Predicate<io.chatai.testing.FakeUpstream.Recorded> request)
            throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (upstream.requests().stream().noneMatch(request)) {
            assertThat(System.nanoTime()).as("the upstream never saw the request awaited").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void should_not_let_a_turn_in_flight_recreate_the_conversation_after_the_erase() throws Exception {
        String user = user();
        chatAs(user, null, "Before", "r0");
        upstream.always(Reply.text("Late answer").withFirstByte(Duration.ofMillis(1_500)));
        var turn = CompletableFuture.supplyAsync(() -> api.post("/api/chat",
                Map.of("message", "During " + user, "userId", user, "newConversation", true, "requestId", "r1")));
        awaitUpstreamRequestContaining("During " + user);
        assertThat(api.delete("/api/users/" + user + "/data").data().path("conversations").asInt()).isEqualTo(1);

        Api.Response late = turn.get(10, TimeUnit.SECONDS);
        assertThat(late.status()).isEqualTo(404);
        assertThat(late.json().path("code").asText()).isEqualTo("CONVERSATION_NOT_FOUND");
        assertThat(late.json().path("error").asText()).contains("erased");
        assertThat(api.get("/api/users/" + user + "/data").data().path("conversations")).isEmpty();

        upstream.always(Reply.text("Noted."));
        chatAs(user, null, "After", "r1"); // a turn that begins after the erase is the user's new data
        assertThat(api.get("/api/users/" + user + "/data").data().path("conversations")).hasSize(1);
    }

    @Test
    void should_not_let_an_extraction_in_flight_recreate_memories_after_the_erase() throws Exception {
        api.post("/api/presets", Map.of("id", "erase-remembers", "name", "R", "systemPrompt", "S",
                "memory", Map.of("enabled", true)));
        upstream.script(body -> body.has("response_format")
                ? Reply.text("{\"facts\": [\"The user likes rain\"]}").withFirstByte(Duration.ofMillis(1_500))
                : Reply.text("Noted."));
        String kept = user(); // the same flow without an erase stores the fact: the check below can fail
        String erased = user();
        for (String user : new String[] {kept, erased}) {
            assertThat(api.post("/api/chat", Map.of("message", "I like rain " + user, "userId", user,
                    "preset", "erase-remembers")).status()).isEqualTo(200);
        }
        awaitUpstream(r -> r.body().has("response_format") && r.body().toString().contains("I like rain " + erased));
        assertThat(api.delete("/api/users/" + erased + "/data").data().path("conversations").asInt()).isEqualTo(1);

        Thread.sleep(3_500); // each extraction answers after 1.5 s and stores its fact at once
        assertThat(api.get("/api/users/" + kept + "/data").data().path("memories")).hasSize(1);
        assertThat(api.get("/api/users/" + erased + "/data").data().path("memories")).isEmpty();
    }

    @Test
    void should_erase_the_images_of_the_users_messages_and_list_them_in_the_export() {
        String user = user();
        String other = user();
        byte[] own = io.chatai.testing.TestImages.image("png", 20, 10, 3);
        byte[] shared = io.chatai.testing.TestImages.image("png", 30, 10, 4);
        java.util.function.Function<byte[], Map<String, Object>> inline = bytes -> Map.of("data",
                java.util.Base64.getEncoder().encodeToString(bytes), "mimeType", "image/png");
        Api.Response mine = api.post("/api/chat", Map.of("message", "Look", "userId", user,
                "images", java.util.List.of(inline.apply(own), inline.apply(shared))));
        Api.Response theirs = api.post("/api/chat", Map.of("message", "Me too", "userId", other,
                "images", java.util.List.of(inline.apply(shared))));
        assertThat(mine.status()).isEqualTo(200);
        assertThat(theirs.status()).isEqualTo(200);

        JsonNode images = api.get("/api/users/" + user + "/data").data().path("conversations").get(0)
                .path("messages").get(0).path("images");
        assertThat(images).hasSize(2);
        assertThat(images.get(0).path("mimeType").asText()).isEqualTo("image/png");
        String ownUrl = images.get(0).path("url").asText();
        assertThat(api.get(ownUrl).status()).isEqualTo(200);

        JsonNode erased = api.delete("/api/users/" + user + "/data").data();
        assertThat(erased.path("images").asInt()).isEqualTo(2);
        assertThat(api.get(ownUrl).status()).isEqualTo(404);
        String sharedId = images.get(1).path("id").asText();
        assertThat(api.get("/api/conversations/" + theirs.data().path("conversationId").asText() + "/images/" + sharedId)
                .status()).as("the same bytes in another user's message stay for that message").isEqualTo(200);
    }

    @Test
    void should_erase_the_responses_stored_for_the_user() {
        String user = user();
        String other = user();
        String mine = api.post("/v1/responses", Map.of("model", "gpt-4o-mini", "input", "my secret plans", "user", user))
                .json().path("id").asText();
        String theirs = api.post("/v1/responses", Map.of("model", "gpt-4o-mini", "input", "hello", "user", other))
                .json().path("id").asText();
        assertThat(api.get("/v1/responses/" + mine).status()).isEqualTo(200);

        assertThat(api.delete("/api/users/" + user + "/data").status()).isEqualTo(200);
        assertThat(api.get("/v1/responses/" + mine).status()).isEqualTo(404);
        assertThat(api.get("/v1/responses/" + theirs).status()).isEqualTo(200);
    }
}
