package io.chatai.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The official OpenAI SDKs for Python and Node.js, made ready for a test: the machine's {@code python3} when it
 * has the {@code openai} package, else a virtual environment in {@code target/python-sdk} with it installed by
 * pip; the npm packages of {@code src/test/sdk-node} installed by {@code npm ci} when missing or stale (a stamp
 * holds the SHA-256 of the package files, as for the panel's). Each returns null when the machine cannot
 * provide it, so the test can skip saying why. Thread-safe enough for tests (installs are idempotent).
 */
public final class SdkClients {
    private static final Path NODE_DIR = Path.of("src/test/sdk-node");
    private static final Path VENV = Path.of("target/python-sdk");

    private SdkClients() {
    }

    /** A Python interpreter that imports {@code openai} and {@code pydantic}, or null. */
    public static synchronized String python() {
        if (succeeds(List.of("python3", "-c", "import openai, pydantic"), 60)) {
            return "python3";
        }
        String venvPython = VENV.resolve("bin/python").toString();
        if (!Files.exists(VENV.resolve("bin/python")) && !succeeds(List.of("python3", "-m", "venv", VENV.toString()), 120)) {
            return null;
        }
        if (succeeds(List.of(venvPython, "-c", "import openai, pydantic"), 60)
                || succeeds(List.of(venvPython, "-m", "pip", "install", "-q", "openai"), 600)) {
            return venvPython;
        }
        return null;
    }

    /** {@code src/test/sdk-node} with its packages installed, or null when Node.js 20+ and npm are not there. */
    public static synchronized Path nodeSdk() {
        return npmInstalled(NODE_DIR);
    }

    /**
     * {@code directory} with the packages of its {@code package-lock.json} installed by {@code npm ci} (again only
     * when the package files changed), or null when Node.js 20+ and npm are not there or the install failed.
     */
    public static synchronized Path npmInstalled(Path directory) {
        String version = NodeTools.version();
        if (version == null || !NodeTools.atLeast20(version)) {
            return null;
        }
        Path stamp = directory.resolve("node_modules/.package-files.sha256");
        try {
            String wanted = sha256(directory.resolve("package.json")) + " " + sha256(directory.resolve("package-lock.json"));
            if (Files.exists(stamp) && Files.readString(stamp).strip().equals(wanted)) {
                return directory;
            }
            ProcessBuilder npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--no-update-notifier", "--loglevel=error")
                    .directory(directory.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process process = npm.start();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                return null;
            }
            Files.writeString(stamp, wanted + "\n");
            return directory;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs a program to its end (at most two minutes) and returns what it printed; a non-zero exit fails the test with its stderr. */
    public static String run(List<String> command, Path directory, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().putAll(env);
        builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
        Path errors = Files.createTempFile("sdk-client", ".err");
        builder.redirectError(errors.toFile()); // a file, so a chatty stderr cannot fill a pipe and block the client
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + Files.readString(errors));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static boolean succeeds(List<String> command, int seconds) {
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
