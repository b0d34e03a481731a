package io.chatai.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real server as its own process ({@code java -jar target/chatai-server.jar}), for tests that kill
 * it or run several instances on one database. Its output goes to {@code target/server-<port>.log}.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerProcess.class);
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts a server on the database of this data directory and waits until it answers. */
    public static ServerProcess start(Path dataDir, Map<String, String> env) {
        Path jar = Path.of("target", "chatai-server.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
        }
        int port = freePort();
        Path log = Path.of("target", "server-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-jar", jar.toString());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("CHATAI_"));
        Map<String, String> all = new HashMap<>();
        all.put("CHATAI_PORT", String.valueOf(port));
        all.put("CHATAI_DATA_DIR", dataDir.toString());
        all.put("CHATAI_ADMIN_KEY", TestServer.ADMIN_KEY);
        all.put("CHATAI_RATE_LIMIT_PER_MINUTE", "0");
        all.put("CHATAI_USER_RATE_LIMIT_PER_MINUTE", "0");
        all.putAll(TestDatabases.environmentFor(dataDir));
        all.putAll(env);
        environment.putAll(all);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        LOG.info("Starting the server as a process on port {}; its output goes to {}", port, log.toAbsolutePath());
        try {
            ServerProcess server = new ServerProcess(builder.start(), port, log);
            server.awaitHealthy(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Api admin() {
        return new Api(baseUrl(), TestServer.ADMIN_KEY);
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    public void kill() {
        process.destroyForcibly();
        await();
    }

    /** SIGTERM: a graceful stop. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end and returns its exit code. */
    public int await() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Api api = new Api(baseUrl(), null);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited at start:\n" + log());
            }
            try {
                if (api.get("/ready").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // still starting
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("The server did not become ready within " + timeout + ":\n" + log());
    }

    /** A port nothing listens on now (the OS's pick). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            await();
        }
    }
}
