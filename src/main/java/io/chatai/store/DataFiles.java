package io.chatai.store;

import io.chatai.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what the server stores on disk readable by its owner only: the data directory 0700, every file
 * directly in it 0600 (the SQLite database, its {@code -wal} and {@code -shm}, {@code admin.key}), and
 * the SQLite files wherever {@code CHATAI_DATABASE_URL} puts them. A new database file is created 0600
 * before SQLite opens it, whatever the umask: SQLite gives its {@code -wal}, {@code -shm} and
 * {@code -journal} the database file's own mode, so they follow. Files that exist are tightened at
 * start. Where the file system has no POSIX permissions (Windows), it says so once and does nothing.
 * Not thread-safe: used while the server starts.
 */
public final class DataFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DataFiles.class);
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final List<String> SQLITE_COMPANIONS = List.of("", "-wal", "-shm", "-journal");

    private final Path dataDir;
    private final Optional<Path> sqliteFile;
    private boolean unsupported;

    public DataFiles(Config config) {
        this.dataDir = config.dataDir().toAbsolutePath();
        this.sqliteFile = Database.sqliteFile(config);
    }

    /** Creates a missing SQLite database file owner-only and tightens every file already there; run it again after start. */
    public void secure() {
        sqliteFile.ifPresent(this::createOwnerOnly);
        if (Files.isDirectory(dataDir)) {
            restrict(dataDir, DIRECTORY);
            for (Path file : filesIn(dataDir)) {
                restrict(file, FILE);
            }
        }
        sqliteFile.ifPresent(db -> SQLITE_COMPANIONS.stream()
                .map(suffix -> db.resolveSibling(db.getFileName() + suffix))
                .filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                .forEach(file -> restrict(file, FILE)));
    }

    private void createOwnerOnly(Path db) {
        if (unsupported || Files.exists(db)) {
            return;
        }
        try {
            if (Files.notExists(db.getParent())) {
                Files.createDirectories(db.getParent(), PosixFilePermissions.asFileAttribute(DIRECTORY));
            }
            Files.createFile(db, PosixFilePermissions.asFileAttribute(FILE)); // SQLite takes an empty file as a new database
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile: tightened below like any existing file
        } catch (UnsupportedOperationException e) {
            notSupported(db);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the database file " + db, e);
        }
    }

    /** Regular files directly in the directory; links are left alone (they may point anywhere). */
    private static List<Path> filesIn(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (IOException e) {
            LOG.warn("Cannot list {} to make its files owner-only: {}", dir, e.getMessage());
            return List.of();
        }
    }

    private void restrict(Path path, Set<PosixFilePermission> wanted) {
        if (unsupported) {
            return;
        }
        try {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(path);
            if (!current.equals(wanted)) {
                Files.setPosixFilePermissions(path, wanted);
                LOG.info("Made {} readable by its owner only (was {}, now {})", path,
                        PosixFilePermissions.toString(current), PosixFilePermissions.toString(wanted));
            }
        } catch (UnsupportedOperationException e) {
            notSupported(path);
        } catch (IOException e) {
            // Not ours to change (another owner, a read-only mount): the server still works, so say it and go on.
            LOG.warn("Cannot make {} readable by its owner only: {}", path, e.getMessage());
        }
    }

    private void notSupported(Path path) {
        unsupported = true;
        LOG.warn("The file system of {} has no POSIX permissions; restrict access to the data directory {} "
                + "with the operating system's own means (on Windows, its ACL)", path, dataDir);
    }

}
