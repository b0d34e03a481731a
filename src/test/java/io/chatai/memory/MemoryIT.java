package io.chatai.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.config.ConfigLoader;
import io.chatai.core.Background;
import io.chatai.store.Database;
import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long-term memory through the Chat API: facts extracted after the commit with structured output (never
 * delaying the reply), secrets refused, repeats merged, the relevant ones recalled into the next turn's
 * system prompt after the preset's own, and the memories API with its per-user visibility.
 */
class MemoryIT {
    static final FakeOpenAi upstream = new FakeOpenAi();
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstream(upstream);
    static final Api api = server.admin();
    static final String SYSTEM = "You are Remy, a cooking assistant.";

    @BeforeAll
    static void presets() {
        assertThat(api.post("/api/presets", Map.of("id", "remembers", "name", "Remembers", "systemPrompt", SYSTEM,
                "memory", Map.of("enabled", true, "scope", "user", "maxTokens", 200))).status()).isEqualTo(201);
        assertThat(api.post("/api/presets", Map.of("id", "forgets", "name", "Forgets", "systemPrompt", SYSTEM)).status())
                .isEqualTo(201);
    }

    @BeforeEach
    void channel() {
        server.resetChannels(upstream);
    }

    /** Chat answers "ok"; extraction requests (those asking for the facts schema) get {@code facts}. */
    private static void extractionAnswers(Function<JsonNode, Reply> facts) {
        upstream.script(body -> body.has("response_format") ? facts.apply(body) : Reply.text("ok"));
    }

    private static Reply facts(String... facts) {
        StringBuilder json = new StringBuilder("{\"facts\": [");
        for (int i = 0; i < facts.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(facts[i]).append('"');
        }
        return Reply.text(json.append("]}").toString());
    }

    private static String user() {
        return "u" + System.nanoTime();
    }

    private static JsonNode memoriesOf(String userId, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode data;
        do {
            data = api.get("/api/memories?userId=" + userId).data();
            // both: the count and the page are two statements, and a fact stored between them is in one only
            if (data.path("memories").size() >= atLeast && data.path("total").asInt() >= atLeast) {
                return data;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return data;
    }

    /**
     * The chat request (not an extraction) of this user's turn, found by the user id its message carries:
     * background extractions of other tests may interleave.
     */
    private static FakeUpstream.Recorded turnOf(String user) {
        return upstream.requests().stream().filter(r -> !r.body().has("response_format"))
                .filter(r -> r.body().toString().contains(user)).toList().getLast();
    }

    private static List<FakeUpstream.Recorded> extractionRequests() {
        return upstream.requests().stream().filter(r -> r.body().has("response_format")).toList();
    }

    @Test
    void should_rank_over_the_blobs_where_the_database_has_no_pgvector() {
        Map<String, String> env = new HashMap<>(TestDatabases.environmentFor(server.dataDir()));
        env.put("CHATAI_DATA_DIR", server.dataDir().toString());
        try (Background background = new Background(); Database database = Database.open(ConfigLoader.load(env), null, background)) {
            assertThat(new MemoryRepository(database).ranker()).isEqualTo("blob");
        }
        if (TestDatabases.postgresql()) { // the embedded server is built without pgvector
            assertThat(TestDatabases.query(server.dataDir(), "SELECT COUNT(*) FROM pg_available_extensions WHERE name = 'vector'"))
                    .containsExactly(List.of("0"));
            assertThat(TestDatabases.query(server.dataDir(), "SELECT COUNT(*) FROM information_schema.columns "
                    + "WHERE table_name = 'memories' AND column_name = 'embedding_vector'")).containsExactly(List.of("0"));
        }
    }

    @Test
    void should_extract_facts_after_the_turn_refusing_secrets_and_merging_repeats() throws Exception {
        extractionAnswers(body -> facts("The user is vegetarian", "The user's card number is 4111 1111 1111 1111",
                "The user is a vegetarian.", "The user's API key is sk-proj-abcdefghijklmnop"));
        String user = user();
        Api.Response chat = api.post("/api/chat", Map.of("message", "I'm vegetarian. Card 4111 1111 1111 1111.",
                "userId", user, "preset", "remembers"));
        assertThat(chat.status()).isEqualTo(200);

        JsonNode memories = memoriesOf(user, 1);
        Thread.sleep(300); // the extraction writes its facts one by one: let it finish before counting
        memories = api.get("/api/memories?userId=" + user).data();
        assertThat(memories.path("total").asInt()).isEqualTo(1);
        JsonNode memory = memories.path("memories").get(0);
        assertThat(memory.path("text").asText()).containsIgnoringCase("vegetarian");
        assertThat(memory.path("source").asText()).isEqualTo("extracted");
        assertThat(memory.path("conversationId").asText()).isEqualTo(chat.data().path("conversationId").asText());
        assertThat(memory.path("userId").asText()).isEqualTo(user);
        assertThat(memory.path("groupId").isNull()).isTrue();
        assertThat(api.get("/api/memories?userId=" + user).body()).doesNotContain("4111").doesNotContain("sk-proj");

        JsonNode format = extractionRequests().getLast().body().path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("schema").path("required").toString()).contains("facts");
    }

    @Test
    void should_never_delay_the_reply_for_extraction() throws Exception {
        extractionAnswers(body -> facts("The user likes slow answers").withFirstByte(Duration.ofSeconds(3)));
        String user = user();
        long started = System.nanoTime();
        Api.Response chat = api.post("/api/chat", Map.of("message", "Hello", "userId", user, "preset", "remembers"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(chat.status()).isEqualTo(200);
        assertThat(tookMs).isLessThan(2_000);
        assertThat(memoriesOf(user, 1).path("total").asInt()).isEqualTo(1); // it was extracted, later
    }

    @Test
    void should_recall_relevant_memories_after_the_presets_own_system_prompt() {
        String user = user();
        for (String text : List.of("The user is vegetarian and never eats meat", "The user's sister lives in Lyon",
                "The user plays the cello in an orchestra")) {
            assertThat(api.post("/api/memories", Map.of("userId", user, "text", text)).status()).isEqualTo(201);
        }
        extractionAnswers(body -> facts());
        api.post("/api/chat", Map.of("message", "What meat or vegetables should I cook for dinner tonight? " + user, "userId", user,
                "preset", "remembers", "newConversation", true));

        FakeUpstream.Recorded turn = turnOf(user);
        String system = upstream.systemPromptOf(turn);
        assertThat(system).startsWith(SYSTEM + "\n\n" + MemoryRecall.HEADING);
        List<String> lines = system.lines().filter(l -> l.startsWith("- ")).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.getFirst()).isEqualTo("- The user is vegetarian and never eats meat");
    }

    @Test
    void should_keep_memories_within_the_token_budget_and_the_system_prompt_whole() {
        String user = user();
        for (int i = 0; i < 30; i++) {
            api.post("/api/memories", Map.of("userId", user, "text", "The user visited city number " + i
                    + " on a long journey across the continent by train"));
        }
        extractionAnswers(body -> facts());
        api.post("/api/chat", Map.of("message", "Where did I travel? " + user, "userId", user, "preset", "remembers"));

        String system = upstream.systemPromptOf(turnOf(user));
        long lines = system.lines().filter(l -> l.startsWith("- ")).count();
        assertThat(system).startsWith(SYSTEM);
        assertThat(lines).isBetween(3L, 15L); // 200 tokens hold about 10 of these, never all 30
    }

    @Test
    void should_neither_extract_nor_recall_for_a_preset_without_memory() throws Exception {
        String user = user();
        api.post("/api/memories", Map.of("userId", user, "text", "The user is vegetarian"));
        extractionAnswers(body -> facts("The user likes tea"));
        String message = "I like tea, " + user;
        api.post("/api/chat", Map.of("message", message, "userId", user, "preset", "forgets"));
        Thread.sleep(500);

        List<FakeUpstream.Recorded> mine = upstream.requests().stream().filter(r -> r.body().toString().contains(message)).toList();
        assertThat(mine).hasSize(1); // the turn itself, and no extraction of it
        assertThat(mine.getFirst().body().has("response_format")).isFalse();
        assertThat(upstream.systemPromptOf(mine.getFirst())).isEqualTo(SYSTEM);
    }

    @Test
    void should_search_edit_and_delete_memories() {
        String user = user();
        List<String> ids = new ArrayList<>();
        for (String text : List.of("The user has a dog called Rex", "The user works as a nurse at night",
                "The user is allergic to peanuts")) {
            ids.add(api.post("/api/memories", Map.of("userId", user, "text", text)).data().path("id").asText());
        }
        JsonNode found = api.get("/api/memories?userId=" + user + "&q=pets+and+animals").data();
        assertThat(found.path("total").asInt()).isEqualTo(3);
        assertThat(found.path("memories").get(0).path("text").asText()).isEqualTo("The user has a dog called Rex");
        assertThat(found.path("memories").get(0).path("score").asDouble())
                .isGreaterThan(found.path("memories").get(1).path("score").asDouble());

        Api.Response edited = api.put("/api/memories/" + ids.get(1), Map.of("text", "The user works as a nurse in the day"));
        assertThat(edited.status()).isEqualTo(200);
        assertThat(edited.data().path("text").asText()).isEqualTo("The user works as a nurse in the day");
        assertThat(api.delete("/api/memories/" + ids.get(2)).status()).isEqualTo(200);
        assertThat(api.delete("/api/memories/" + ids.get(2)).status()).isEqualTo(404);
        assertThat(api.get("/api/memories?userId=" + user).data().path("total").asInt()).isEqualTo(2);

        Api.Response secret = api.post("/api/memories", Map.of("userId", user, "text", "The user's phone is 13800138000"));
        assertThat(secret.status()).isEqualTo(400);
        assertThat(secret.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        assertThat(api.put("/api/memories/" + ids.get(0), Map.of("text", "password: hunter2")).status()).isEqualTo(400);
    }

    @Test
    void should_let_a_bound_key_see_and_change_only_its_own_users_memories() {
        String alice = user();
        String bob = user();
        String bobs = api.post("/api/memories", Map.of("userId", bob, "text", "Bob likes jazz")).data().path("id").asText();
        Api asAlice = server.as(server.createKey("alice", alice, null));

        assertThat(asAlice.post("/api/memories", Map.of("userId", alice, "text", "Alice likes rock")).status()).isEqualTo(201);
        assertThat(asAlice.post("/api/memories", Map.of("userId", bob, "text", "Bob likes pop")).status()).isEqualTo(403);
        assertThat(asAlice.get("/api/memories?userId=" + bob).data().path("total").asInt()).isZero();
        JsonNode own = asAlice.get("/api/memories").data();
        assertThat(own.path("total").asInt()).isEqualTo(1);
        assertThat(own.path("memories").get(0).path("userId").asText()).isEqualTo(alice);
        assertThat(asAlice.get("/api/memories?q=music").data().path("memories")).hasSize(1);
        assertThat(asAlice.put("/api/memories/" + bobs, Map.of("text", "Bob hates jazz")).status()).isEqualTo(404);
        assertThat(asAlice.delete("/api/memories/" + bobs).status()).isEqualTo(404);
        assertThat(api.get("/api/memories?userId=" + bob).data().path("memories").get(0).path("text").asText())
                .isEqualTo("Bob likes jazz");
    }

    @Test
    void should_validate_a_presets_memory_and_context_settings() {
        JsonNode stored = api.get("/api/presets/remembers").data().path("memory");
        assertThat(stored.toString()).isEqualTo("{\"enabled\":true,\"scope\":\"user\",\"extractModel\":null,\"maxTokens\":200}");
        assertThat(api.post("/api/presets", Map.of("id", "bad-scope", "name", "x", "memory", Map.of("enabled", true,
                "scope", "everyone"))).status()).isEqualTo(400);
        assertThat(api.post("/api/presets", Map.of("id", "bad-tokens", "name", "x", "memory", Map.of("enabled", true,
                "maxTokens", 0))).status()).isEqualTo(400);
        assertThat(api.post("/api/presets", Map.of("id", "group-bot", "name", "x", "context", "group")).status()).isEqualTo(201);
        assertThat(api.get("/api/presets/group-bot").data().path("context").asText()).isEqualTo("group");
        assertThat(api.put("/api/presets/group-bot", Map.of("context", "user")).data().path("context").isNull()).isTrue();
        Api.Response bad = api.post("/api/presets", Map.of("id", "room-bot", "name", "x", "context", "room"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").asText()).contains("context must be one of user, group");
        assertThat(api.get("/api/presets/room-bot").status()).isEqualTo(404);
    }
}
