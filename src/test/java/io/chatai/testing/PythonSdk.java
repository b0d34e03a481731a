package io.chatai.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python scripts that use the official OpenAI SDK against a test server, for ITs that check what the
 * SDKs make of our answers: with the Python {@link SdkClients#python()} makes ready (the machine's, or a
 * virtual environment it installs the SDK into), so a fresh machine runs them too. Tests skip (saying why)
 * where {@link #available()} is false. Stateless.
 */
public final class PythonSdk {
    /** Why a test is skipped without it. */
    public static final String MISSING = "no python3 with the openai package, and none could be installed (pip install openai)";

    private PythonSdk() {
    }

    /** Whether a Python with the openai package is here, or could be made ready. */
    public static boolean available() {
        return SdkClients.python() != null;
    }

    /** Runs the script with these environment variables; returns what it printed, failing on a non-zero exit. */
    public static String run(String script, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(SdkClients.python(), "-c", script);
        builder.environment().putAll(env);
        builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
        Path errors = Files.createTempFile("python-sdk", ".err");
        builder.redirectError(errors.toFile()); // a file, so a chatty stderr cannot fill a pipe and block the script
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(errors)).isZero();
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errors);
        }
    }
}
