package io.chatai.auth;

import io.chatai.core.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the admin key: {@code CHATAI_ADMIN_KEY}, else {@code <data dir>/admin.key}, else a new random key
 * written there with owner-only permissions and printed once so the operator can copy it.
 */
public final class AdminKey {
    private static final Logger LOG = LoggerFactory.getLogger(AdminKey.class);

    private AdminKey() {
    }

    public static String resolve(String configured, Path dataDir) {
        if (configured != null) {
            if (configured.length() < 32) {
                LOG.warn("CHATAI_ADMIN_KEY is only {} characters; use at least 32 random characters", configured.length());
            }
            return configured;
        }
        Path file = dataDir.resolve("admin.key");
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (key.isEmpty()) {
                    throw new IllegalStateException(file + " is empty; delete it to have a new admin key generated");
                }
                return key;
            }
            createOwnerOnlyDirectory(dataDir);
            String key = Secrets.newToken("sk-admin-", 40);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file); // not a POSIX file system: rely on the directory's permissions
            } catch (FileAlreadyExistsException e) {
                return resolve(null, dataDir); // another instance created it first: use theirs
            }
            Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
            // Printed on purpose, once: this is how the operator learns the key. It is never logged again.
            System.out.println("Generated admin key (saved to " + file.toAbsolutePath().normalize() + "): " + key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the admin key file " + file
                    + "; set CHATAI_ADMIN_KEY or make the data directory writable", e);
        }
    }

    private static void createOwnerOnlyDirectory(Path dir) throws IOException {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir); // not a POSIX file system: DataFiles has said so
        }
    }
}
