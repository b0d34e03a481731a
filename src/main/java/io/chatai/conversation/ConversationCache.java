package io.chatai.conversation;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.chatai.core.message.Parts;
import io.chatai.store.Dialect;
import io.chatai.store.ReadThroughCache;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * What every turn of a bot reads, kept in memory when this process is the database's only writer (SQLite):
 * each scope's most recently updated conversation, and each conversation's newest messages. A turn then
 * reads neither; its commit updates both. Why it pays: in WAL mode SQLite empties a reading connection's
 * page cache whenever anything committed since its last read, which under load is always, so these two
 * small reads cost a quarter of a turn's CPU. With PostgreSQL (several instances) it keeps nothing.
 * Thread-safe (see {@link ReadThroughCache} for why a stale value cannot be installed).
 */
final class ConversationCache {
    private static final long MIN_WINDOW_BYTES = 8L << 20;
    private static final long MAX_WINDOW_BYTES = 256L << 20;
    private static final int MAX_SCOPES = 100_000;

    private final ReadThroughCache<String, RecentWindow> windows;
    private final ReadThroughCache<Scope, Latest> latest;

    /**
     * A scope's most recently updated conversation as the scope index orders them (by {@code updated_at}, then
     * by id, both descending), with its {@code updated_at}; {@link #NONE} for a scope without a conversation.
     */
    record Latest(String id, long updatedAt) {
        static final Latest NONE = new Latest(null, Long.MIN_VALUE);

        /** The latest once conversation {@code written} was updated at {@code at}; null when that cannot be known. */
        Latest after(String written, long at) {
            if (written.equals(id)) {
                return at >= updatedAt ? new Latest(id, at) : null; // moved back (the clock did): another may lead now
            }
            boolean overtakes = id == null || at > updatedAt || at == updatedAt && written.compareTo(id) > 0;
            return overtakes ? new Latest(written, at) : this;
        }
    }

    private ConversationCache(ReadThroughCache<String, RecentWindow> windows, ReadThroughCache<Scope, Latest> latest) {
        this.windows = windows;
        this.latest = latest;
    }

    static ConversationCache forDialect(Dialect dialect) {
        if (dialect != Dialect.SQLITE) {
            return new ConversationCache(ReadThroughCache.disabled(), ReadThroughCache.disabled());
        }
        // A sixteenth of the heap, within 8–256 MB: enough for the active conversations of a busy bot
        // (20 packed messages of a few hundred characters are ~8 KB), never a share of the heap that matters.
        long bytes = Math.clamp(Runtime.getRuntime().maxMemory() / 16, MIN_WINDOW_BYTES, MAX_WINDOW_BYTES);
        // Upkeep (eviction) on the writing thread: Caffeine's default hands it to the common pool after every
        // write, and waking a pool thread per turn cost more than the upkeep itself.
        return new ConversationCache(
                ReadThroughCache.over(Caffeine.newBuilder().executor(Runnable::run).maximumWeight(bytes)
                        .weigher((String id, RecentWindow window) -> (int) Math.min(Integer.MAX_VALUE, window.weight()))
                        .build()),
                ReadThroughCache.over(Caffeine.newBuilder().executor(Runnable::run).maximumSize(MAX_SCOPES).build()));
    }

    /** Rows read from the database, newest first, and the messages they decode to (images loaded). */
    record Read(List<MessageRows.Row> rows, List<StoredMessage> messages) {
    }

    /** The newest {@code limit} messages, newest first, from memory or {@code read} (which asks for {@code limit}). */
    List<StoredMessage> recent(String conversationId, int limit, Supplier<Read> read) {
        // A miss returns the messages it read (they may hold images, which a window never keeps); a hit decodes.
        var missed = new AtomicReference<List<StoredMessage>>();
        RecentWindow window = windows.get(conversationId, held -> held.covers(limit), () -> {
            Read found = read.get();
            missed.set(found.messages());
            return Parts.anyImage(found.messages().stream().map(StoredMessage::message).toList()) ? null
                    : RecentWindow.read(found.rows(), limit);
        }, held -> true);
        return missed.get() != null ? missed.get() : window.newest(limit, conversationId);
    }

    /** The scope's most recently updated conversation, from memory or {@code read}. */
    Optional<String> latest(Scope scope, Supplier<Latest> read) {
        return Optional.ofNullable(latest.get(scope, found -> true, read, found -> true).id());
    }

    /**
     * After rows were committed to a conversation of {@code scope}, updating it at {@code updatedAt}: they
     * join its window ({@code oldestFirst} null when they must be read back instead: they hold images), and
     * the scope's latest conversation is the newer of the two.
     */
    void committed(String conversationId, Scope scope, long updatedAt, List<MessageRows.Row> oldestFirst) {
        windows.afterWrite(conversationId, window -> oldestFirst == null ? null : window.append(oldestFirst));
        latest.afterWrite(scope, found -> found.after(conversationId, updatedAt));
    }

    /** After a conversation lost its messages and was updated at {@code updatedAt}. */
    void cleared(String conversationId, Scope scope, long updatedAt) {
        windows.forget(conversationId);
        latest.afterWrite(scope, found -> found.after(conversationId, updatedAt));
    }

    /**
     * After a conversation was deleted, or a write to it failed (and may have committed all the same); {@code
     * scope} null when it is not known, which drops every scope's entry.
     */
    void dropped(String conversationId, Scope scope) {
        windows.forget(conversationId);
        if (scope != null) {
            latest.forget(scope);
        } else {
            latest.forgetAll();
        }
    }

    /** After a write to conversations not known one by one (an erasure, retention). */
    void forgetAll() {
        windows.forgetAll();
        latest.forgetAll();
    }
}
