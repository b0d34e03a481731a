package io.chatai.provider.llama;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The loaded local models: one engine per model file and options, shared by every channel naming them,
 * loaded once on first use and closed when no channel names them any more (after their last request)
 * or at shutdown. Thread-safe.
 */
public final class LlamaModels implements AutoCloseable {
    /** Which engine a channel needs: its file and its options. */
    public record Key(Path file, Map<String, Object> options) {
        public Key {
            file = file.toAbsolutePath().normalize();
            options = Map.copyOf(options);
        }
    }

    private final Supplier<Set<Key>> named;
    /** Loading reads the whole model in native code: on a platform thread, so no virtual thread pins its carrier. */
    private final ExecutorService loader = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("llama-load").factory());
    private final Map<Key, Entry> entries = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    /** @param named the keys the channels name now (null while unknown); engines outside it are closed once idle */
    public LlamaModels(Supplier<Set<Key>> named) {
        this.named = named;
    }

    /** A request's use of an engine; closing it lets a retired engine close. */
    public final class Lease implements AutoCloseable {
        private final Entry entry;
        private final LlamaEngine engine;
        private boolean released;

        private Lease(Entry entry, LlamaEngine engine) {
            this.entry = entry;
            this.engine = engine;
        }

        public LlamaEngine engine() {
            return engine;
        }

        @Override
        public void close() {
            synchronized (LlamaModels.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            release(entry);
        }
    }

    /**
     * The engine for a key, loading it first if needed (concurrent callers share one load); a failed load
     * is forgotten so the next call tries again.
     *
     * @throws ModelFileException when the file is missing, not GGUF, or refused by llama.cpp
     */
    public Lease acquire(Key key) throws InterruptedException {
        retireUnnamed();
        Entry entry;
        synchronized (this) {
            if (closed) {
                throw new ModelFileException("the server is shutting down");
            }
            entry = entries.computeIfAbsent(key, k -> new Entry(CompletableFuture.supplyAsync(() -> {
                GgufInfo info = GgufInfo.read(k.file());
                return LlamaEngine.load(info, LlamaSettings.of(k.options(), info));
            }, loader)));
            entry.users++;
        }
        try {
            return new Lease(entry, entry.engine.get());
        } catch (InterruptedException e) {
            // The load goes on for the next request; this one just stops waiting for it.
            release(entry);
            throw e;
        } catch (ExecutionException | RuntimeException e) {
            synchronized (this) {
                entry.users--;
                entries.remove(key, entry);
            }
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw cause instanceof ModelFileException bad ? bad : new ModelFileException(key.file() + ": " + cause, cause);
        }
    }

    /** Retires the engines no channel names any more; each closes after its last request. */
    private void retireUnnamed() {
        Set<Key> live = named.get();
        if (live == null) {
            return; // the channels are not known yet (during start)
        }
        List<Entry> retired = new ArrayList<>();
        synchronized (this) {
            entries.entrySet().removeIf(e -> {
                if (live.contains(e.getKey())) {
                    return false;
                }
                e.getValue().retired = true;
                retired.add(e.getValue());
                return true;
            });
        }
        retired.forEach(this::closeIfIdle);
    }

    private void release(Entry entry) {
        synchronized (this) {
            entry.users--;
        }
        closeIfIdle(entry);
    }

    private void closeIfIdle(Entry entry) {
        synchronized (this) {
            if (!entry.retired || entry.users > 0 || entry.closing) {
                return;
            }
            entry.closing = true;
        }
        entry.engine.thenAccept(LlamaEngine::close);
    }

    /** Closes every engine now, or after its last request when one is still running; loads no more. */
    @Override
    public void close() {
        List<Entry> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(entries.values());
            entries.clear();
            all.forEach(entry -> entry.retired = true);
        }
        all.forEach(this::closeIfIdle);
        loader.shutdown();
    }

    /** An engine being loaded or loaded, and the requests using it. */
    private static final class Entry {
        final CompletableFuture<LlamaEngine> engine;
        int users;
        boolean retired;
        boolean closing;

        Entry(CompletableFuture<LlamaEngine> engine) {
            this.engine = engine;
        }
    }
}
