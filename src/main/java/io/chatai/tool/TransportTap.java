package io.chatai.tool;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Wraps the SDK's transport for two things the SDK's client does not do as this server needs:
 * <ul>
 *   <li>{@code notifications/tools/list_changed} goes to {@code onToolsChanged} instead of the SDK, whose own
 *       handler lists every page without a bound; the owner lists again through {@link ToolListing}.</li>
 *   <li>A tool call abandoned (timed out or cancelled) is cancelled at the server with
 *       {@code notifications/cancelled}, as MCP asks: the SDK only stops waiting. Outgoing {@code tools/call}
 *       requests are matched to the caller's request object by identity to learn their JSON-RPC id.</li>
 * </ul>
 * Thread-safe.
 */
final class TransportTap implements McpClientTransport {
    private static final Logger LOG = LoggerFactory.getLogger(TransportTap.class);
    private static final Object NOT_SENT = new Object();
    /** MCP's cancellation notification (the SDK has no constant for it). */
    static final String CANCELLED = "notifications/cancelled";

    private final McpClientTransport delegate;
    private final Runnable onToolsChanged;
    private final Map<McpSchema.CallToolRequest, Object> callIds = Collections.synchronizedMap(new IdentityHashMap<>());

    TransportTap(McpClientTransport delegate, Runnable onToolsChanged) {
        this.delegate = delegate;
        this.onToolsChanged = onToolsChanged;
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        return delegate.connect(incoming -> handler.apply(incoming.filter(this::passOn)));
    }

    private boolean passOn(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCNotification notification
                && McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED.equals(notification.method())) {
            onToolsChanged.run();
            return false;
        }
        return true;
    }

    /** Call before sending {@code request}, so that its JSON-RPC id is noted when it goes out. */
    void track(McpSchema.CallToolRequest request) {
        callIds.put(request, NOT_SENT);
    }

    /** Forgets a finished call. */
    void forget(McpSchema.CallToolRequest request) {
        callIds.remove(request);
    }

    /** Tells the server to stop working on {@code request}, if it was sent; never throws. */
    void cancel(McpSchema.CallToolRequest request, String reason) {
        Object id = callIds.remove(request);
        if (id == null || id == NOT_SENT) {
            return;
        }
        delegate.sendMessage(new McpSchema.JSONRPCNotification(CANCELLED,
                        Map.of("requestId", id, "reason", reason)))
                .subscribe(ignored -> { }, failure -> LOG.debug("Could not send notifications/cancelled", failure));
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request && request.params() instanceof McpSchema.CallToolRequest call) {
            callIds.computeIfPresent(call, (ignored, previous) -> request.id());
        }
        return delegate.sendMessage(message);
    }

    @Override
    public void setExceptionHandler(Consumer<Throwable> handler) {
        delegate.setExceptionHandler(handler);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return delegate.closeGracefully();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return delegate.unmarshalFrom(data, typeRef);
    }

    @Override
    public List<String> protocolVersions() {
        return delegate.protocolVersions();
    }
}
