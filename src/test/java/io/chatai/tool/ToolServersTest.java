package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A reload that read the stored servers just before a write through this instance must not undo that write. The
 * servers here are disabled, so nothing connects: the test is about which servers this instance keeps.
 */
class ToolServersTest {
    static final ToolServer ADDED = server("ts_added", "added");

    static ToolServer server(String id, String name) {
        return new ToolServer(id, name, new ToolEndpoint.Http("http://127.0.0.1:9/mcp", ToolEndpoint.HttpTransport.AUTO, Map.of()),
                false, 1_000, Set.of(), 1, 1);
    }

    @Test
    void should_keep_a_server_added_while_a_reload_read_the_list_before_it() throws Exception {
        StaleList list = new StaleList(List.of());
        try (ToolServers servers = new ToolServers(list, new ToolServerForm(false), Clock.systemUTC())) {
            Thread reload = Thread.ofPlatform().start(servers::reload);
            list.read.await(5, TimeUnit.SECONDS); // the reload holds a list without the server about to be added

            Thread add = Thread.ofPlatform().start(() -> servers.apply(ADDED));
            settled(add);
            list.release.countDown();
            reload.join(5_000);
            add.join(5_000);

            assertThat(servers.live(ADDED.id())).as("the server just added").isNotNull();
        }
    }

    @Test
    void should_not_bring_back_a_server_deleted_while_a_reload_read_the_list_before_it() throws Exception {
        StaleList list = new StaleList(List.of(ADDED));
        try (ToolServers servers = new ToolServers(list, new ToolServerForm(false), Clock.systemUTC())) {
            servers.apply(ADDED);
            Thread reload = Thread.ofPlatform().start(servers::reload);
            list.read.await(5, TimeUnit.SECONDS); // the reload holds a list that still has the server about to go

            Thread remove = Thread.ofPlatform().start(() -> servers.remove(ADDED.id()));
            settled(remove);
            list.release.countDown();
            reload.join(5_000);
            remove.join(5_000);

            assertThat(servers.live(ADDED.id())).as("the server just deleted").isNull();
        }
    }

    /** Waits until the thread has finished or is blocked (on the lock the fix adds). */
    private static void settled(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (thread.isAlive() && thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(50); // a thread between two steps is not yet parked; let it get there
    }

    /** Gives its list, then holds the reader until released: a list read just before a write lands. */
    private static final class StaleList implements Supplier<List<ToolServer>> {
        final CountDownLatch read = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final List<ToolServer> servers;
        private boolean first = true;

        StaleList(List<ToolServer> servers) {
            this.servers = servers;
        }

        @Override
        public synchronized List<ToolServer> get() {
            if (first) {
                first = false;
                read.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return servers;
        }
    }
}
