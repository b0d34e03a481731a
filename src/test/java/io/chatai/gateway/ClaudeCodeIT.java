package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Reply;
import io.chatai.testing.SdkClients;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claude Code itself ({@code @anthropic-ai/claude-code} from npm, its Linux binary included) in print mode with
 * {@code ANTHROPIC_BASE_URL} pointing at the server and a ChatAI key as {@code ANTHROPIC_AUTH_TOKEN}, telemetry,
 * error reports and update checks off, in an isolated home: it completes a session in which the model (a fake
 * upstream) calls its {@code Read} tool on a file and then answers with what the file said, once relayed to an
 * {@code anthropic} channel and once translated to an {@code openai} one whose {@code modelMapping} maps Claude
 * Code's model names. Skipped with a warning only when the CLI cannot be installed.
 */
class ClaudeCodeIT {
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(ClaudeCodeIT.class);
    static final List<FakeUpstream> FAKES = List.of(new FakeAnthropic(), new FakeOpenAi());
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);
    static final String MODEL = "claude-sonnet-4-5";
    static final String SMALL_MODEL = "claude-haiku-4-5";

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    /**
     * The model's side of the session: a request offering tools gets a {@code Read} call for the file, until the
     * file's content came back in a tool result; then the answer quoting it. Requests without tools (Claude Code's
     * side calls, e.g. a title) get a short text.
     */
    private static void script(FakeUpstream fake, Path file, String secret) {
        fake.scriptRequests(recorded -> {
            JsonNode tools = recorded.body().path("tools");
            if (recorded.raw().contains(secret)) {
                return Reply.text("The file says: ", secret);
            }
            if (tools.isArray() && !tools.isEmpty()) {
                String input = JSON.createObjectNode().put("file_path", file.toString()).toString();
                return Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(200, 30, false), new Part.Text("I will read the file."),
                        new Part.ToolCall("toolu_read_1", "Read", input, null));
            }
            return Reply.text("Reading a file");
        });
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_complete_a_claude_code_session_with_a_tool_call(FakeUpstream fake, @TempDir Path work, @TempDir Path home)
            throws Exception {
        Path cli = SdkClients.claudeCode();
        if (cli == null) {
            LOG.warn("WARNING: Claude Code could not be installed (npm ci in src/test/claude-code failed, or no Node.js 20+): skipped");
            Assumptions.abort("Claude Code could not be installed");
        }
        String secret = "chatai-" + UUID.randomUUID();
        Path file = work.resolve("notes.txt");
        Files.writeString(file, secret + "\n");
        server.deleteChannels();
        fake.resetScript();
        Map<String, Object> channel = new HashMap<>(Map.of("name", "cc-" + fake.type()));
        if (fake.type().equals("anthropic")) {
            channel.put("models", List.of("*"));
        } else {
            channel.put("models", List.of(MODEL, SMALL_MODEL));
            channel.put("modelMapping", Map.of(MODEL, "gpt-4.1", SMALL_MODEL, "gpt-4.1-mini"));
        }
        server.addChannel(fake, channel);
        script(fake, file, secret);
        int before = fake.requests().size();

        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", server.baseUrl());
        env.put("ANTHROPIC_AUTH_TOKEN", TestServer.ADMIN_KEY);
        env.put("ANTHROPIC_API_KEY", "");
        env.put("ANTHROPIC_DEFAULT_HAIKU_MODEL", SMALL_MODEL);
        env.put("DISABLE_TELEMETRY", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        env.put("DISABLE_ERROR_REPORTING", "1");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        Path claude = cli.toAbsolutePath().resolve("node_modules/@anthropic-ai/claude-code/bin/claude.exe");
        String out = SdkClients.run(List.of(claude.toString(), "-p", "What does the file notes.txt in this folder say?",
                "--model", MODEL, "--allowedTools", "Read"), work, env);

        assertThat(out).contains("The file says: " + secret);
        List<FakeUpstream.Recorded> session = new ArrayList<>(fake.requests().subList(before, fake.requests().size()));
        assertThat(session).as("Claude Code's model names reach the upstream mapped")
                .allSatisfy(r -> assertThat(r.model()).isIn(fake.type().equals("anthropic") ? List.of(MODEL, SMALL_MODEL)
                        : List.of("gpt-4.1", "gpt-4.1-mini")));
        if (fake.type().equals("anthropic")) {
            assertThat(session.getFirst().body().path("metadata").path("user_id").asText())
                    .as("Claude Code's own metadata.user_id, a JSON string, accepted").startsWith("{").hasSizeGreaterThan(64);
            assertThat(session.getFirst().header("anthropic-beta")).as("its betas reach Anthropic").contains("claude-code-");
        }
        FakeUpstream.Recorded answered = session.stream().filter(r -> r.raw().contains(secret)).findFirst().orElseThrow();
        String toolResultId = fake.type().equals("anthropic")
                ? toolResultIdOf(answered.body().path("messages"))
                : answered.body().path("messages").findValue("tool_call_id").asText();
        assertThat(toolResultId).as("the tool result answers the call the model made").isEqualTo("toolu_read_1");
    }

    private static String toolResultIdOf(JsonNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode block : message.path("content")) {
                if (block.path("type").asText().equals("tool_result")) {
                    return block.path("tool_use_id").asText();
                }
            }
        }
        return null;
    }
}
