package io.chatai.testing;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link TestServer} for a test class and stops it after, then the fake upstreams it was given.
 * On a static {@code @RegisterExtension} field one server serves the whole class (started before any
 * {@code @BeforeAll} method); on an instance field each test gets its own. Tests call it as they would the
 * server; {@link #admin()} and {@link #as} may be taken before it starts, in a field initializer:
 * <pre>{@code
 * static final FakeOpenAi upstream = new FakeOpenAi();
 * @RegisterExtension
 * static final TestServerExtension server = TestServerExtension.withDefaults()
 *         .withEnv("CHATAI_KEEPALIVE_SECONDS", "1").withChannelFor(upstream);
 * static final Api api = server.admin();
 * }</pre>
 * Tests that need several servers, restarts on one data directory, or a server per test with its own
 * settings call {@link TestServer#start} themselves. Immutable until registered; JUnit calls it from one thread.
 */
public final class TestServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Map<String, String> env;
    private final Clock clock;
    private final List<FakeUpstream> upstreams;
    private final List<FakeUpstream> channels;
    private volatile TestServer server;
    private boolean perTest;

    private TestServerExtension(Map<String, String> env, Clock clock, List<FakeUpstream> upstreams, List<FakeUpstream> channels) {
        this.env = Map.copyOf(env);
        this.clock = clock;
        this.upstreams = List.copyOf(upstreams);
        this.channels = List.copyOf(channels);
    }

    /** A server with {@link TestServer}'s settings, a fresh data directory, the system clock and no channel. */
    public static TestServerExtension withDefaults() {
        return new TestServerExtension(Map.of(), Clock.systemDefaultZone(), List.of(), List.of());
    }

    /** The same, with this environment variable set over the test defaults. */
    public TestServerExtension withEnv(String name, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(name, value);
        return new TestServerExtension(more, clock, upstreams, channels);
    }

    /** The same, on this clock. */
    public TestServerExtension withClock(Clock clock) {
        return new TestServerExtension(env, clock, upstreams, channels);
    }

    /** The same, closing these fakes once the server has stopped. */
    public TestServerExtension withUpstreams(Collection<? extends FakeUpstream> fakes) {
        List<FakeUpstream> more = new ArrayList<>(upstreams);
        more.addAll(fakes);
        return new TestServerExtension(env, clock, more, channels);
    }

    /** The same, closing this fake once the server has stopped. */
    public TestServerExtension withUpstream(FakeUpstream fake) {
        return withUpstreams(List.of(fake));
    }

    /** The same, with a channel for this fake added once started ({@link TestServer#addChannel}), the fake closed after. */
    public TestServerExtension withChannelFor(FakeUpstream fake) {
        List<FakeUpstream> more = new ArrayList<>(channels);
        more.add(fake);
        return new TestServerExtension(env, clock, upstreams, more).withUpstream(fake);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) { // registered on an instance field: JUnit calls no class-level callback
            perTest = true;
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() {
        server = TestServer.start(TestServer.newDataDir(), env, clock);
        channels.forEach(server::addChannel);
    }

    private void stop() {
        TestServer started = server;
        server = null;
        try {
            if (started != null) {
                started.close();
            }
        } finally {
            upstreams.forEach(FakeUpstream::close); // after the server: its calls to them have ended
        }
    }

    /** The running server. */
    public TestServer server() {
        TestServer started = server;
        if (started == null) {
            throw new IllegalStateException("The test server is not running: it starts before @BeforeAll (static field) or @BeforeEach");
        }
        return started;
    }

    public String baseUrl() {
        return server().baseUrl();
    }

    public Path dataDir() {
        return server().dataDir();
    }

    /** A client with the admin key, usable before the server starts: each call goes to the running server. */
    public Api admin() {
        return as(TestServer.ADMIN_KEY);
    }

    /** A client with the given key (or none, for null), usable before the server starts. */
    public Api as(String key) {
        return new Api(this::baseUrl, key);
    }

    /** See {@link TestServer#createKey}. */
    public String createKey(String name, String userId, Integer rateLimitPerMinute) {
        return server().createKey(name, userId, rateLimitPerMinute);
    }

    /** See {@link TestServer#flushUsage}. */
    public void flushUsage() {
        server().flushUsage();
    }

    /** See {@link TestServer#addChannel(FakeUpstream)}. */
    public String addChannel(FakeUpstream fake) {
        return server().addChannel(fake);
    }

    /** See {@link TestServer#addChannel(FakeUpstream, Map)}. */
    public String addChannel(FakeUpstream fake, Map<String, ?> fields) {
        return server().addChannel(fake, fields);
    }

    /** See {@link TestServer#deleteChannels}. */
    public void deleteChannels() {
        server().deleteChannels();
    }

    /** See {@link TestServer#resetChannels}. */
    public String resetChannels(FakeUpstream fake) {
        return server().resetChannels(fake);
    }

    /** See {@link TestServer#tools}. */
    public io.chatai.tool.ToolExecutor tools() {
        return server().tools();
    }

    /** See {@link TestServer#localModels}. */
    public io.chatai.provider.llama.LlamaModels localModels() {
        return server().localModels();
    }
}
