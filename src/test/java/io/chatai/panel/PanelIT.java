package io.chatai.panel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.McpTestServer;
import io.chatai.testing.Reply;
import io.chatai.testing.ShiftedClock;
import io.chatai.testing.TestDatabases;
import io.chatai.testing.TestImages;
import io.chatai.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The web panel in a real browser: Playwright (npm playwright-core) drives Debian's headless chromium
 * against the real server in-process and a fake OpenAI upstream, through every page, and takes the
 * screenshots the README shows. Runs in the SQLite pass only: it tests the UI, and the API beneath it
 * is tested on both databases by the other ITs. Missing node or chromium skips it with what to install
 * (the build warns about it before the integration tests; .ci/run installs both and checks it ran).
 */
class PanelIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Real images the browser attaches: one through the file picker, one pasted. */
    private static final byte[] PNG = TestImages.image("png", 24, 16, 5);
    private static final byte[] GIF = TestImages.image("gif", 12, 10, 9);
    /** Where screenshots go; -Dchatai.panel.screenshots=docs/screenshots refreshes the README's. */
    private static final Path SCREENSHOTS = Path.of(System.getProperty("chatai.panel.screenshots", "target/panel-screenshots"));
    /** The chat message the fake upstream answers with a call of the MCP test server's add tool, then with its sum. */
    private static final String TOOL_QUESTION = "What is 2 + 3? Use the add tool.";

    @BeforeAll
    static void onlyOnce() {
        assumeFalse(TestDatabases.postgresql(), "the browser test runs in the SQLite pass only");
    }

    @Test
    void should_pass_the_node_unit_tests_of_the_panel_modules() throws Exception {
        requireTools(false);

        BrowserTools.Run run = BrowserTools.node(Map.of(), 120, "--test", "unit/");

        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void should_chat_and_administer_through_every_page_in_a_real_browser() throws Exception {
        requireTools(true);
        McpTestServer.assumeAvailable();
        ShiftedClock clock = new ShiftedClock();
        try (FakeOpenAi openAi = new FakeOpenAi();
             FakeAnthropic anthropic = new FakeAnthropic();
             McpTestServer tools = McpTestServer.start("streamable-http");
             TestServer server = TestServer.start(TestServer.newDataDir(), Map.of("CHATAI_SECRET_KEY", "a-long-enough-secret-for-tests"), clock)) {
            DemoData.seed(server, clock, openAi, anthropic);
            // The browser's chat streams word by word, slowly enough to see the answer grow; the tool question
            // gets a call of toolbox.add (as the model sees it, toolbox__add), then an answer with its result.
            openAi.scriptRequests(recorded -> toolTurn(recorded).orElseGet(() -> DemoData.lastUserMessage(recorded).equals("Think first, please")
                    // a thinking model that writes its reasoning into the text, tags split across chunks
                    ? Reply.text("<thi", "nk>Weighing the", " options.</think>", "\n\nHere is ", "my answer.")
                    : DemoData.answer(DemoData.lastUserMessage(recorded), Duration.ofMillis(60))));
            Files.createDirectories(SCREENSHOTS);

            BrowserTools.Run run = BrowserTools.node(Map.of(
                    "PANEL_URL", server.baseUrl(),
                    "ADMIN_KEY", TestServer.ADMIN_KEY,
                    "FAKE_BASE_URL", openAi.baseUrl(),
                    "MCP_URL", tools.url(),
                    "MCP_DOWN_URL", "http://127.0.0.1:" + McpTestServer.freePort() + "/mcp",
                    "TOOL_QUESTION", TOOL_QUESTION,
                    "TEST_IMAGE_PNG", Base64.getEncoder().encodeToString(PNG),
                    "TEST_IMAGE_GIF", Base64.getEncoder().encodeToString(GIF),
                    "SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString(),
                    "CHROMIUM", BrowserTools.chromium().toString()), 300, "e2e.mjs");

            assertThat(run.exitCode()).as("e2e.mjs failed:\n%s", run.output()).isZero();
            JsonNode result = result(run);
            // The thumbnails the browser showed are the stored bytes, served under the conversation.
            assertThat(result.path("thumbnails")).hasSize(2);
            assertThat(result.path("thumbnails").get(0).get(1).asInt()).isEqualTo(24);
            assertThat(result.path("thumbnails").get(1).get(2).asInt()).isEqualTo(10);
            assertThat(openAi.requests().stream().filter(r -> r.body().toString().contains("data:image/gif;base64,"
                    + Base64.getEncoder().encodeToString(GIF))).count()).isPositive();
            // The preview showed exactly the system prompt the server then sent upstream for that user and group.
            String sent = openAi.requests().stream()
                    .filter(r -> DemoData.lastUserMessage(r).equals(result.path("chatMessage").asText()))
                    .map(openAi::systemPromptOf).findFirst().orElseThrow();
            assertThat(sent).isEqualTo(result.path("previewPrompt").asText());
            // The key the browser created and revoked no longer opens anything.
            String createdKey = result.path("createdKey").asText();
            assertThat(createdKey).startsWith("sk-chatai-");
            assertThat(server.as(createdKey).get("/api/conversations").status()).isEqualTo(401);
            // The channel the browser added is the one that answered, and its key is stored whole.
            assertThat(openAi.requests().getLast().apiKey()).isEqualTo(result.path("channelKey").asText());
            // The price table the browser saved, in the order it left it (first match wins), and the budget it edited.
            assertThat(result.path("prices")).extracting(p -> p.path("model").asText())
                    .containsExactly("gpt-4o-mini*", "gpt-4o*", "claude-*", "deepseek-*");
            assertThat(server.admin().get("/api/prices").data().path(2).path("inputPerMTok").asDouble()).isEqualTo(0.8);
            JsonNode devTeam = result.path("devTeamBudget");
            assertThat(devTeam.path("maxTokens").asLong()).isEqualTo(60_000);
            assertThat(devTeam.path("spentTokens").asLong()).as("dev-team's chats of today count").isPositive();
            assertThat(result.path("miniCost").asText()).matches("[0-9][0-9.,]*");
            // The chat a budget refused never reached the upstream.
            assertThat(openAi.requests()).noneMatch(r -> DemoData.lastUserMessage(r).equals("One more question?"));
            // The tool server the browser added: connected, its header secret sent to it whole, the tool it switched off off.
            JsonNode toolServer = server.admin().get("/api/tools/servers").data().path(0);
            assertThat(toolServer.path("name").asText()).isEqualTo("toolbox");
            assertThat(toolServer.path("status").asText()).isEqualTo("connected");
            assertThat(toolServer.path("timeoutMs").asInt()).isEqualTo(20_000);
            assertThat(server.admin().get("/api/tools/servers").data()).as("the imported server the browser deleted").hasSize(1);
            assertThat(tools.requests()).anyMatch(r -> r.path("headers").path("x-tool-key").asText().equals(result.path("toolSecret").asText()));
            assertThat(StreamSupport.stream(server.admin().get("/api/tools").data().spliterator(), false)
                    .filter(t -> !t.path("enabled").asBoolean()).map(t -> t.path("name").asText()).toList()).containsExactly("toolbox.explode");
            assertThat(result.path("offlineError").asText()).isNotBlank();
            // The preset the browser gave tools, and the tool turn it ran: offered the toolbox's tools but the one
            // switched off, the tool's result sent back to the model, and the step stored with the conversation.
            JsonNode support = server.admin().get("/api/presets/support").data();
            assertThat(support.path("tools").toString()).isEqualTo("[\"toolbox.*\"]");
            assertThat(support.path("maxToolRounds").asInt()).isEqualTo(4);
            assertThat(support.path("toolChoice").asText()).isEqualTo("auto");
            List<FakeOpenAi.Recorded> toolTurn = openAi.requests().stream()
                    .filter(r -> r.messages().stream().anyMatch(m -> m.path("content").asText().equals(TOOL_QUESTION))).toList();
            assertThat(toolTurn).hasSize(2);
            assertThat(offered(toolTurn.getFirst())).contains("toolbox__add", "toolbox__echo").doesNotContain("toolbox__explode");
            assertThat(toolTurn.getLast().messages().getLast().path("role").asText()).isEqualTo("tool");
            assertThat(toolTurn.getLast().messages().getLast().path("content").asText()).isEqualTo("5");
            JsonNode stored = server.admin().get("/api/conversations/" + result.path("toolConversation").asText() + "?include=tools").data();
            assertThat(stored.path("messages").findValuesAsText("role")).containsExactly("user", "assistant", "tool", "assistant");
            for (String page : List.of("login", "chat", "conversations", "channels", "channel-dialog", "presets", "keys", "usage", "usage-dark",
                    "budget-dialog", "chat-mobile", "tools", "tool-server-dialog", "chat-tools")) {
                assertThat(SCREENSHOTS.resolve(page + ".png")).isNotEmptyFile();
            }
        }
    }

    /**
     * The fake model's side of the tool turn: asked {@link #TOOL_QUESTION}, it calls toolbox.add; given the tool's
     * result, it answers with it. Empty for every other chat.
     */
    private static Optional<Reply> toolTurn(FakeOpenAi.Recorded recorded) {
        List<JsonNode> messages = recorded.messages();
        if (messages.stream().noneMatch(m -> m.path("content").asText().equals(TOOL_QUESTION))) {
            return Optional.empty();
        }
        JsonNode last = messages.getLast();
        if (last.path("role").asText().equals("tool")) {
            return Optional.of(Reply.text("2 + 3 = ", last.path("content").asText(), ", says the add tool.").withGap(Duration.ofMillis(60)));
        }
        return Optional.of(Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(30, 12, false),
                new Part.ToolCall("call_e2e_add", "toolbox__add", "{\"a\": 2, \"b\": 3}", null)));
    }

    /** The names of the tools a request to the fake offered the model. */
    private static List<String> offered(FakeOpenAi.Recorded recorded) {
        return recorded.body().path("tools").findValuesAsText("name");
    }

    /** Node.js and chromium are Debian packages no build can install: without them the test is skipped, with the reason. */
    private static void requireTools(boolean browser) {
        String missing = BrowserTools.missing(browser);
        assumeTrue(missing == null, missing);
    }

    /** The script's facts: its last line starting with "RESULT ". */
    private static JsonNode result(BrowserTools.Run run) throws Exception {
        for (String line : run.lines().reversed()) {
            if (line.startsWith("RESULT ")) {
                return JSON.readTree(line.substring(7));
            }
        }
        throw new AssertionError("e2e.mjs printed no RESULT line:\n" + run.output());
    }
}
