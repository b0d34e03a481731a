package io.chatai.store;

import io.chatai.core.Background;
import java.time.Duration;
import java.util.List;

/**
 * Makes a change to channels or keys made through one instance take effect on every instance sharing
 * the database: writers bump a version number in the same transaction as their change, and every
 * instance polls it (one indexed row) and refreshes its caches when it moved. Thread-safe.
 */
public final class ConfigVersion {
    private final Database database;
    private final List<Runnable> onChange;
    private long seen = -1; // only the poll touches it, and polls run one after another

    /** @param onChange run (on the poller's thread) after another instance changed something */
    public ConfigVersion(Database database, List<Runnable> onChange) {
        this.database = database;
        this.onChange = List.copyOf(onChange);
    }

    /**
     * Reads the version now (changes from here on count), then polls every {@code interval}; a failed
     * poll is logged by the background and the next one runs.
     */
    public void start(Background background, Duration interval) {
        seen = current();
        background.every("config-version", interval, this::poll);
    }

    /** Call inside the transaction of every change to channels, presets or keys. */
    public static void bump(Sql sql) {
        sql.update("UPDATE config_version SET version = version + 1 WHERE id = 1").execute();
    }

    private long current() {
        return database.read(sql -> sql.query("SELECT version FROM config_version WHERE id = 1").one(RowMapper.LONG));
    }

    void poll() {
        long version = current();
        if (seen >= 0 && version != seen) {
            onChange.forEach(Runnable::run);
        }
        seen = version;
    }
}
