package io.chatai.store;

import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a change to channels or keys made through one instance take effect on every instance sharing
 * the database: writers bump a version number in the same transaction as their change, and every
 * instance polls it (one indexed row) and refreshes its caches when it moved. Thread-safe.
 */
public final class ConfigVersion implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigVersion.class);

    private final Database database;
    private final List<Runnable> onChange;
    private final Thread poller;
    private volatile boolean running = true;

    /** @param onChange run (on the poller's thread) after another instance changed something */
    public ConfigVersion(Database database, Duration interval, List<Runnable> onChange) {
        this.database = database;
        this.onChange = List.copyOf(onChange);
        this.poller = Thread.ofPlatform().daemon().name("config-version").start(() -> poll(interval));
    }

    /** Call inside the transaction of every change to channels, presets or keys. */
    public static void bump(Handle handle) {
        handle.createUpdate("UPDATE config_version SET version = version + 1 WHERE id = 1").execute();
    }

    private long current() {
        return database.read(handle -> handle.createQuery("SELECT version FROM config_version WHERE id = 1").mapTo(Long.class).one());
    }

    private void poll(Duration interval) {
        long seen = -1;
        while (running) {
            try {
                long version = current();
                if (seen >= 0 && version != seen) {
                    onChange.forEach(Runnable::run);
                }
                seen = version;
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Could not check for configuration changes: {}", e.getMessage());
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        poller.interrupt();
    }
}
