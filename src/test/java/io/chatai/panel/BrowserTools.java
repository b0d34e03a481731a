package io.chatai.panel;

import io.chatai.testing.NodeTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds what the browser tests need (Node.js 20+, Debian's chromium, the test's npm packages, which the
 * Maven build installs before the integration tests) and runs Node scripts, logging their output as it
 * comes (printed if the test fails). When something is missing it says exactly what to install, instead
 * of failing somewhere inside Playwright. Stateless.
 */
final class BrowserTools {
    private static final Logger LOG = LoggerFactory.getLogger(BrowserTools.class);
    /** The folder with the Node test scripts and their package.json. */
    static final Path DIR = Path.of("src/test/panel");
    static final String SETUP_HINT = "Install what is missing with: apt-get install -y chromium nodejs npm; "
            + "./mvnw verify then installs the npm packages (.ci/run does both).";

    private BrowserTools() {
    }

    /** The finished run of a script. */
    record Run(int exitCode, List<String> lines) {
        String output() {
            return String.join("\n", lines);
        }
    }

    static Path chromium() {
        String configured = System.getenv("CHROMIUM");
        return Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    }

    /** Null when everything is there, else what is missing and how to install it. */
    static String missing(boolean needsBrowser) {
        List<String> problems = new ArrayList<>();
        String version = NodeTools.version();
        if (version == null) {
            problems.add("Node.js is not on the PATH");
        } else if (!NodeTools.atLeast20(version)) {
            problems.add("Node.js " + version + " is too old (playwright-core needs 20 or newer)");
        }
        if (needsBrowser) {
            if (!Files.isExecutable(chromium())) {
                problems.add("chromium is not at " + chromium() + " (set CHROMIUM to use another path)");
            }
            if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
                problems.add("the npm packages of " + DIR + " are not installed (the Maven build runs npm ci when npm is on the PATH)");
            }
        }
        return problems.isEmpty() ? null : "The panel's browser tests cannot run: " + String.join("; ", problems) + ". " + SETUP_HINT;
    }

    /** Runs node with these arguments in {@link #DIR}; its output goes to the test log as it comes. */
    static Run node(Map<String, String> env, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                    LOG.info("[node] {}", line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
            return new Run(-1, List.copyOf(lines));
        }
        reader.join(10_000);
        return new Run(process.exitValue(), List.copyOf(lines));
    }
}
