package io.chatai.tool;

import io.chatai.core.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a turn needs of the tool servers: the tools a preset offers ({@link #tools}), and running one of them. A
 * call never throws: an unknown, disabled or unreachable tool, arguments that are not a JSON object for its schema, a
 * timeout (the server's {@code timeoutMs}), an error of the server or its transport, and a cancel all come back as a
 * {@link ToolResult} with {@code isError} and a short message the model can read. Thread-safe.
 */
public final class ToolExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ToolExecutor.class);

    private final ToolServers servers;

    public ToolExecutor(ToolServers servers) {
        this.servers = servers;
    }

    /**
     * The tools a turn may offer: enabled tools of enabled, connected servers that {@code patterns} match, fixed for
     * the turn (a tool server listing new tools mid-turn changes nothing). Calls go through the returned set, so a
     * model can only run the tools it was offered.
     */
    public ToolSet tools(ToolPatterns patterns) {
        return tools(patterns, patterns);
    }

    /** The tools both pattern lists match: a preset's, narrowed by a request's. */
    public ToolSet tools(ToolPatterns patterns, ToolPatterns narrowedBy) {
        List<ToolCatalog.Entry> offered = servers.catalog().entries().stream()
                .filter(entry -> entry.available() && patterns.matches(entry.server(), entry.tool().name())
                        && narrowedBy.matches(entry.server(), entry.tool().name()))
                .toList();
        return new ToolSet(this, offered);
    }

    /** Runs one offered tool; see {@link ToolSet#call}. */
    ToolResult call(ToolCatalog.Entry entry, String argumentsJson, Cancellation cancellation) {
        long start = System.nanoTime();
        try {
            LiveServer live = servers.live(entry.serverId());
            if (live == null || !live.config().enabled()) {
                return error("The tool " + entry.name() + " is no longer available.", start);
            }
            if (live.config().disabledTools().contains(entry.tool().name())) {
                return error("The tool " + entry.name() + " is disabled.", start);
            }
            Map<String, Object> arguments = ArgumentCheck.parse(argumentsJson, entry.tool().parameters());
            return run(live, entry, arguments, cancellation, start);
        } catch (ArgumentCheck.Invalid invalid) {
            return error(invalid.getMessage(), start);
        } catch (RuntimeException | Error e) {
            LOG.error("Calling tool {} failed unexpectedly", entry.name(), e);
            return error("The tool " + entry.name() + " failed inside the server.", start);
        }
    }

    private ToolResult run(LiveServer live, ToolCatalog.Entry entry, Map<String, Object> arguments, Cancellation cancellation, long start) {
        ToolServer config = live.config();
        Duration timeout = Duration.ofMillis(config.timeoutMs());
        McpConnection session = live.session();
        if (session == null) {
            String why = live.status().error();
            return error("The tool server " + config.name() + " is not reachable" + (why == null ? "." : ": " + why), start);
        }
        // A call cancelled before it starts is never sent: once sent, a fast tool can answer before the cancel lands.
        if (cancellation.isCancelled()) {
            return error("The call was cancelled.", start);
        }
        boolean slot;
        try {
            slot = live.calls.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error("The call was cancelled.", start);
        }
        if (!slot) {
            return error("The tool server " + config.name() + " is busy (" + LiveServer.MAX_CONCURRENT_CALLS
                    + " calls running) and had no room within " + config.timeoutMs() + " ms.", start);
        }
        try {
            Duration left = timeout.minusNanos(System.nanoTime() - start);
            var result = session.call(entry.tool().name(), arguments, left.isNegative() ? Duration.ZERO : left, cancellation);
            return ToolResults.of(result, elapsed(start));
        } catch (McpConnection.CallFailure failure) {
            return switch (failure.kind()) {
                case TIMEOUT -> {
                    live.abandoned(session);
                    yield error("The tool " + entry.name() + " did not answer within " + config.timeoutMs() + " ms.", start);
                }
                case CANCELLED -> {
                    live.abandoned(session);
                    yield error("The call was cancelled.", start);
                }
                case SERVER_ERROR -> error("The tool " + entry.name() + " failed: "
                        + ToolFailures.describe(failure.getCause(), McpConnection.secrets(config.endpoint())), start);
                case TRANSPORT -> {
                    String why = ToolFailures.describe(failure.getCause(), McpConnection.secrets(config.endpoint()));
                    live.broken(session, why);
                    yield error("The tool server " + config.name() + " could not be reached: " + why, start);
                }
            };
        } finally {
            live.calls.release();
        }
    }

    private static ToolResult error(String message, long start) {
        return ToolResult.error(message, elapsed(start));
    }

    private static long elapsed(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
