package io.chatai.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.chatai.testing.Api;
import io.chatai.testing.FakeOpenAi;
import io.chatai.testing.TestServer;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the server writes under its data directory is its owner's alone: the SQLite database, its WAL
 * and shared-memory files and the generated admin key are 0600 and the directory 0700, on a fresh start
 * after real writes (whatever the umask) and after a restart over files someone made world-readable.
 * Always on SQLite in its data directory, with a generated admin key: those are the files in question.
 */
class DataFilesIT {
    /** SQLite in the data directory and a generated admin key, whichever database the run uses. */
    static final Map<String, String> OWN_FILES = Map.of("CHATAI_DATABASE_URL", "", "CHATAI_ADMIN_KEY", "");

    @BeforeAll
    static void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }

    @Test
    void should_keep_every_file_owner_only_after_a_chat_and_other_writes() throws IOException {
        Path dir = TestServer.newDataDir().resolve("data"); // a directory the server creates itself
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start(dir, OWN_FILES)) {
            writeSomething(server, upstream);
            server.flushUsage();

            assertThat(names(dir)).contains("chatai.db", "chatai.db-wal", "chatai.db-shm", "admin.key");
            assertOwnerOnly(dir);
        }
    }

    @Test
    void should_tighten_world_readable_files_and_directory_at_start() throws IOException {
        Path dir = TestServer.newDataDir();
        try (FakeOpenAi upstream = new FakeOpenAi(); TestServer server = TestServer.start(dir, OWN_FILES)) {
            writeSomething(server, upstream);
        }
        // As an older version, a copy or a careless chmod left them: readable by everyone.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path file : files(dir)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertThat(names(dir)).contains("chatai.db", "admin.key");

        try (TestServer restarted = TestServer.start(dir, OWN_FILES)) {
            assertThat(restarted.as(adminKey(dir)).get("/api/keys").status()).isEqualTo(200);
            assertOwnerOnly(dir);
        }
    }

    private static void writeSomething(TestServer server, FakeOpenAi upstream) throws IOException {
        Api admin = server.as(adminKey(server.dataDir()));
        assertThat(admin.post("/api/channels", Map.of("name", "fake", "type", upstream.type(), "baseUrl", upstream.baseUrl(),
                "apiKeys", List.of("sk-test-0123456789"))).status()).isEqualTo(201);
        assertThat(admin.post("/api/keys", Map.of("name", "bot")).status()).isEqualTo(201);
        for (int i = 0; i < 3; i++) {
            assertThat(admin.post("/api/chat", Map.of("message", "hello " + i, "userId", "u1")).status()).isEqualTo(200);
        }
    }

    private static String adminKey(Path dir) throws IOException {
        return Files.readString(dir.resolve("admin.key")).strip();
    }

    private static void assertOwnerOnly(Path dir) throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as(dir.toString()).isEqualTo("rwx------");
        for (Path file : files(dir)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(file.toString()).isEqualTo("rw-------");
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    private static List<String> names(Path dir) throws IOException {
        return files(dir).stream().map(file -> file.getFileName().toString()).toList();
    }
}
