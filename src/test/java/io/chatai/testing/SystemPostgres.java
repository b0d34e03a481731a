package io.chatai.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine's own PostgreSQL 15 (the Debian packages' binaries) started in a temporary directory on a free
 * loopback port, for tests that need an extension the embedded server lacks (pgvector). As root it runs as
 * the {@code postgres} OS user through {@code runuser}, since initdb refuses root. {@link #missing} says why
 * it cannot start here. Stopped and deleted by {@link #close}. Not thread-safe.
 */
public final class SystemPostgres implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path VECTOR = Path.of("/usr/share/postgresql/15/extension/vector.control");

    private final Path dir;
    private final int port;

    private SystemPostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** What is missing for a PostgreSQL 15 with pgvector here, or empty when it can start. */
    public static Optional<String> missing() {
        if (!Files.isExecutable(BIN.resolve("initdb"))) {
            return Optional.of(BIN.resolve("initdb") + " (the postgresql-15 package)");
        }
        if (!Files.exists(VECTOR)) {
            return Optional.of(VECTOR + " (pgvector built and installed into PostgreSQL 15)");
        }
        if (root() && !Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            return Optional.of("/usr/sbin/runuser (initdb refuses root, so it runs as the postgres user)");
        }
        return Optional.empty();
    }

    public static SystemPostgres start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("chatai-system-pg");
        if (root()) {
            run(List.of("chown", "postgres", dir.toString()));
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = dir.resolve("data");
        asOwner(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8"));
        asOwner(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
        return new SystemPostgres(dir, port);
    }

    /** The environment that points the server's configuration at this PostgreSQL's {@code postgres} database. */
    public Map<String, String> environment(Path dataDir) {
        Map<String, String> env = new HashMap<>();
        env.put("CHATAI_DATA_DIR", dataDir.toString());
        env.put("CHATAI_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        env.put("CHATAI_DATABASE_USER", "postgres");
        env.put("CHATAI_DATABASE_PASSWORD", "unused-trust-auth");
        return env;
    }

    private static void asOwner(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            asOwner(List.of(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
