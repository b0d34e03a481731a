package io.chatai.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.chatai.testing.FakeAnthropic;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.FakeUpstream;
import io.chatai.testing.Received;
import io.chatai.testing.Reply;
import io.chatai.testing.SdkClients;
import io.chatai.testing.TestServer;
import io.chatai.testing.TestServerExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Codex CLI ({@code @openai/codex}, pinned in {@code src/test/codex}, installed there by {@code npm ci}) completes a
 * session through {@code /v1/responses} with its default tools: a custom model provider with
 * {@code wire_api = "responses"}, an isolated {@code CODEX_HOME}, telemetry, analytics and update checks off.
 * The fake upstream, an {@code openai}-type channel and then an {@code anthropic}-type one, asks for a shell command
 * ({@code exec_command}), Codex runs it and sends its output back, and the upstream answers. Codex's built-in
 * {@code web_search} tool is left out as the contract says. Skipped with a WARNING only when the CLI cannot be installed.
 */
class CodexCliIT {
    static final List<FakeUpstream> FAKES = List.of(new FakeOpenAi(), new FakeAnthropic());
    static final Path CODEX_DIR = Path.of("src/test/codex");
    static final String PROOF = "codex-tool-ran";
    @RegisterExtension
    static final TestServerExtension server = TestServerExtension.withDefaults().withUpstreams(FAKES);

    static List<FakeUpstream> fakes() {
        return FAKES;
    }

    static Path codex() {
        Path installed = SdkClients.npmInstalled(CODEX_DIR);
        Path binary = installed == null ? null : installed.resolve("node_modules/.bin/codex");
        if (binary == null || !Files.isExecutable(binary)) {
            System.err.println("WARNING: CodexCliIT skipped: Codex CLI could not be installed (npm ci in " + CODEX_DIR
                    + " needs Node.js 20+, npm and the npm registry)");
            return null;
        }
        return binary.toAbsolutePath();
    }

    @ParameterizedTest(name = "{0}", autoCloseArguments = false)
    @MethodSource("fakes")
    void should_complete_a_codex_session_with_a_shell_tool_call(FakeUpstream fake, @TempDir Path dir) throws Exception {
        Path codex = codex();
        Assumptions.assumeTrue(codex != null, "Codex CLI could not be installed");
        server.deleteChannels();
        server.addChannel(fake, Map.of("name", "codex-" + fake.type(), "models", List.of("*")));
        fake.scriptRequests(recorded -> recorded.raw().contains(PROOF)
                ? Reply.text("Done: the proof file says " + PROOF + ".")
                : Reply.rich(FinishReason.TOOL_CALLS, new TokenUsage(500, 20, false), new Part.Text("Running it."),
                new Part.ToolCall("call_codex_1", "exec_command", "{\"cmd\":\"echo " + PROOF + " > proof.txt && cat proof.txt\"}", null)));
        Path home = Files.createDirectories(dir.resolve("codex-home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(home.resolve("config.toml"), """
                model = "codex-test-model"
                model_provider = "chatai"
                approval_policy = "never"
                sandbox_mode = "danger-full-access"
                check_for_update_on_startup = false

                [model_providers.chatai]
                name = "ChatAI"
                base_url = "%s/v1"
                env_key = "CHATAI_KEY"
                wire_api = "responses"
                request_max_retries = 0
                stream_max_retries = 0

                [analytics]
                enabled = false

                [feedback]
                enabled = false

                [otel]
                exporter = "none"
                """.formatted(server.baseUrl()));
        Path last = dir.resolve("last-message.txt");

        ProcessBuilder builder = new ProcessBuilder(codex.toString(), "exec", "--skip-git-repo-check", "--ephemeral",
                "-C", work.toString(), "-o", last.toString(), "Write the proof file, then tell me what it says.")
                .redirectErrorStream(true).redirectOutput(dir.resolve("codex.log").toFile());
        builder.environment().putAll(Map.of("CODEX_HOME", home.toString(), "CHATAI_KEY", TestServer.ADMIN_KEY,
                "NO_PROXY", "127.0.0.1,localhost", "CODEX_DISABLE_UPDATE_CHECK", "1"));
        Process process = builder.start();
        process.getOutputStream().close(); // no prompt on stdin
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly();
        }
        String log = Files.readString(dir.resolve("codex.log"), StandardCharsets.UTF_8);

        assertThat(ended).as("codex exec ended in 180 s:\n" + log).isTrue();
        assertThat(process.exitValue()).as(log).isZero();
        assertThat(Files.readString(work.resolve("proof.txt")).strip()).as("Codex ran the command the model asked for").isEqualTo(PROOF);
        assertThat(Files.readString(last)).contains("Done: the proof file says " + PROOF);
        Received first = fake.received(fake.requests().getFirst());
        assertThat(first.toolNames()).contains("exec_command").doesNotContain("web_search");
        Received answered = fake.received(fake.requests().getLast());
        ChatMessage.Tool result = (ChatMessage.Tool) answered.messages().getLast();
        assertThat(result.text()).as("the command's output reached the model as the call's result").contains(PROOF);
    }
}
