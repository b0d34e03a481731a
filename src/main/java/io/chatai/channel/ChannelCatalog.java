package io.chatai.channel;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The channels as routing sees them: an in-memory snapshot, so choosing a channel costs no database
 * read. Every write through this instance refreshes it at once. Thread-safe (the snapshot is immutable
 * and swapped atomically).
 */
public final class ChannelCatalog {
    private final Supplier<List<Channel>> loader;
    private volatile List<Channel> snapshot;

    /** @param loader reads all channels, e.g. {@code repository::list} */
    public ChannelCatalog(Supplier<List<Channel>> loader) {
        this.loader = loader;
        this.snapshot = List.copyOf(loader.get());
    }

    public List<Channel> all() {
        return snapshot;
    }

    public Optional<Channel> find(String id) {
        return snapshot.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Re-reads the channels after a change. */
    public void refresh() {
        snapshot = List.copyOf(loader.get());
    }
}
