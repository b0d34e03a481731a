package io.chatai.tool;

import io.chatai.core.Background;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool servers live on this instance: one {@link LiveServer} per stored server, kept in step with the database
 * (after a write through this instance at once, after one through another instance when the configuration version
 * moves), retried and pinged in the background, and the {@link ToolCatalog} of all their tools. Each instance keeps
 * its own sessions; the database holds only the configuration. Thread-safe.
 */
public final class ToolServers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ToolServers.class);
    /** Fewer than the servers any deployment needs; each holds a session (and a local program its process). */
    public static final int MAX_SERVERS = 100;
    /** Spacing of re-listings a server asks for, so one that keeps saying "changed" costs a listing a second. */
    private static final Duration RELIST_SPACING = Duration.ofSeconds(1);

    private final Supplier<List<ToolServer>> stored;
    private final ToolServerForm form;
    private final Clock clock;
    private final Map<String, LiveServer> servers = new ConcurrentHashMap<>();
    /**
     * Held by {@link #reload} from reading the stored servers until the map agrees with them, and by every change of
     * the map through this instance. Without it a reload that read the list just before a write could undo that
     * write: remove a server just added, or bring back one just deleted. Never held while connecting.
     */
    private final ReentrantLock membership = new ReentrantLock();
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private volatile ToolCatalog catalog = ToolCatalog.EMPTY;

    public ToolServers(ToolServerRepository repository, ToolServerForm form, Clock clock) {
        this(repository::list, form, clock);
    }

    /** @param stored reads the stored servers (the repository's list; tests pace it) */
    ToolServers(Supplier<List<ToolServer>> stored, ToolServerForm form, Clock clock) {
        this.stored = stored;
        this.form = form;
        this.clock = clock;
    }

    /** Connects every stored server in the background (start is not held up), then retries and pings every second. */
    public void start(Background background) {
        reload();
        background.every("tool-servers", Duration.ofSeconds(1), this::tick);
    }

    public ToolCatalog catalog() {
        return catalog;
    }

    public Optional<ServerStatus> status(String id) {
        return Optional.ofNullable(servers.get(id)).map(LiveServer::status);
    }

    LiveServer live(String id) {
        return servers.get(id);
    }

    /**
     * Takes a server just written through this instance: connects it and waits (bounded by its setup time) when it is
     * new or how it is reached changed (its name included, which its tools' names depend on); else only updates what
     * is offered (a server in error keeps its retries). Returns its status.
     */
    public ServerStatus apply(ToolServer server) {
        LiveServer live;
        membership.lock();
        try {
            live = servers.get(server.id());
            if (live == null) {
                live = newLive(server);
                servers.put(server.id(), live);
            } else if (live.config().sameConnection(server) && live.config().name().equals(server.name())) {
                live.configure(server);
                return live.status();
            }
            live.configure(server);
        } finally {
            membership.unlock();
        }
        connect(live);
        return live.status();
    }

    /** Applies several at once (an import), connecting them in parallel. */
    public void applyAll(List<ToolServer> written) {
        List<Future<?>> done = written.stream().map(server -> work.submit(() -> apply(server))).collect(Collectors.toList());
        for (Future<?> future : done) {
            try {
                future.get();
            } catch (Exception e) {
                LOG.warn("Could not connect an imported tool server", e);
            }
        }
    }

    /** Connects again now and lists the tools anew; waits (bounded). Empty when there is no such server here. */
    public Optional<ServerStatus> refresh(String id) {
        LiveServer live = servers.get(id);
        if (live == null) {
            return Optional.empty();
        }
        connect(live);
        return Optional.of(live.status());
    }

    /** Ends a deleted server's session. */
    public void remove(String id) {
        LiveServer live;
        membership.lock();
        try {
            live = servers.remove(id);
        } finally {
            membership.unlock();
        }
        if (live != null) {
            live.close(); // outside the lock: it waits for a connection being made
            rebuild();
        }
    }

    /**
     * Brings this instance in step with the database: new servers connect and changed ones reconnect (in the
     * background), deleted ones close. Run at start and when another instance changed the configuration.
     */
    public void reload() {
        List<LiveServer> gone = new ArrayList<>();
        membership.lock();
        try {
            List<ToolServer> current = stored.get();
            Set<String> ids = current.stream().map(ToolServer::id).collect(Collectors.toSet());
            for (ToolServer server : current) {
                LiveServer live = servers.get(server.id());
                if (live == null) {
                    LiveServer added = newLive(server);
                    servers.put(server.id(), added);
                    work.execute(() -> connect(added));
                } else if (!live.config().equals(server)) {
                    boolean reconnect = !live.config().sameConnection(server) || !live.config().name().equals(server.name());
                    live.configure(server);
                    if (reconnect) {
                        work.execute(() -> connect(live));
                    }
                }
            }
            for (String id : List.copyOf(servers.keySet())) {
                if (!ids.contains(id)) {
                    gone.add(servers.remove(id));
                }
            }
        } finally {
            membership.unlock();
        }
        gone.forEach(LiveServer::close);
        rebuild();
    }

    private LiveServer newLive(ToolServer server) {
        return new LiveServer(server, clock::millis, this::rebuild, this::toolsChanged);
    }

    private void connect(LiveServer live) {
        ToolServer config = live.config();
        live.connect(form.allows(config.endpoint()), "this server runs a local program, and CHATAI_ALLOW_STDIO_TOOLS is not "
                + "true here; set it to allow local programs");
    }

    /** Every second: retries servers that failed when their back-off ended, pings connected ones every 30 s. */
    void tick() {
        long now = clock.millis();
        for (LiveServer live : servers.values()) {
            if ((live.retryDue(now) || live.pingDue(now)) && live.busy.compareAndSet(false, true)) {
                work.execute(() -> {
                    try {
                        if (live.retryDue(clock.millis())) {
                            connect(live);
                        } else {
                            live.ping();
                        }
                    } finally {
                        live.busy.set(false);
                    }
                });
            }
        }
    }

    /** The server said its tools changed: list them again in the background, one listing at a time, a second apart. */
    private void toolsChanged(LiveServer live) {
        live.relistWanted.set(true);
        if (!live.relisting.compareAndSet(false, true)) {
            return; // the running listing will see the request
        }
        work.execute(() -> {
            try {
                while (live.relistWanted.getAndSet(false)) {
                    live.relist();
                    Thread.sleep(RELIST_SPACING);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                live.relisting.set(false);
            }
            if (live.relistWanted.get() && servers.get(live.config().id()) == live) {
                toolsChanged(live); // a request that came while the loop was ending
            }
        });
    }

    private synchronized void rebuild() {
        catalog = ToolCatalog.of(servers.values().stream().sorted(Comparator.comparing(l -> l.config().name())).toList());
    }

    /** Ends every session (local programs are stopped), all at once: at most about 5 s, however many servers. */
    @Override
    public void close() {
        work.shutdownNow();
        List<Thread> closing = servers.values().stream()
                .map(live -> Thread.ofVirtual().name("tool-server-close").start(live::close)).toList();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        for (Thread thread : closing) {
            try {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        servers.clear();
    }
}
