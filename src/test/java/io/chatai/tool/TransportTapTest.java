package io.chatai.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class TransportTapTest {

    /** A transport that records what is sent and lets the test deliver what "the server" sends. */
    static final class RecordingTransport implements McpClientTransport {
        final List<McpSchema.JSONRPCMessage> sent = new ArrayList<>();
        Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;

        @Override
        public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
            this.handler = handler;
            return Mono.empty();
        }

        void deliver(McpSchema.JSONRPCMessage message) {
            handler.apply(Mono.just(message)).block();
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            sent.add(message);
            return Mono.empty();
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void should_take_list_changed_notifications_and_pass_on_everything_else() {
        RecordingTransport transport = new RecordingTransport();
        AtomicInteger changed = new AtomicInteger();
        TransportTap tap = new TransportTap(transport, changed::incrementAndGet);
        List<McpSchema.JSONRPCMessage> reachedTheSdk = new ArrayList<>();
        tap.connect(incoming -> incoming.doOnNext(reachedTheSdk::add)).block();

        McpSchema.JSONRPCNotification listChanged = new McpSchema.JSONRPCNotification(McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED, null);
        McpSchema.JSONRPCNotification progress = new McpSchema.JSONRPCNotification(McpSchema.METHOD_NOTIFICATION_PROGRESS, Map.of());
        McpSchema.JSONRPCResponse response = new McpSchema.JSONRPCResponse(McpSchema.JSONRPC_VERSION, "1", Map.of(), null);
        transport.deliver(listChanged);
        transport.deliver(progress);
        transport.deliver(response);

        assertThat(changed).hasValue(1);
        assertThat(reachedTheSdk).containsExactly(progress, response);
    }

    @Test
    void should_cancel_an_abandoned_call_at_the_server_by_its_request_id() {
        RecordingTransport transport = new RecordingTransport();
        TransportTap tap = new TransportTap(transport, () -> { });
        McpSchema.CallToolRequest call = new McpSchema.CallToolRequest("sleep", Map.of("ms", 1), null);
        McpSchema.CallToolRequest lookalike = new McpSchema.CallToolRequest("sleep", Map.of("ms", 1), null);

        tap.track(call);
        tap.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, "req-7", lookalike)).block();
        tap.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, "req-8", call)).block();
        tap.cancel(call, "timed out");

        assertThat(transport.sent).hasSize(3);
        assertThat(transport.sent.getLast()).isInstanceOfSatisfying(McpSchema.JSONRPCNotification.class, cancelled -> {
            assertThat(cancelled.method()).isEqualTo("notifications/cancelled");
            assertThat(cancelled.params()).isEqualTo(Map.of("requestId", "req-8", "reason", "timed out"));
        });
        tap.cancel(call, "again");
        assertThat(transport.sent).as("one cancel per call").hasSize(3);
    }

    @Test
    void should_send_nothing_for_a_call_that_never_went_out_or_already_ended() {
        RecordingTransport transport = new RecordingTransport();
        TransportTap tap = new TransportTap(transport, () -> { });
        McpSchema.CallToolRequest unsent = new McpSchema.CallToolRequest("a", Map.of(), null);
        McpSchema.CallToolRequest finished = new McpSchema.CallToolRequest("b", Map.of(), null);
        tap.track(unsent);
        tap.track(finished);
        tap.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, "req-1", finished)).block();
        tap.forget(finished);

        tap.cancel(unsent, "cancelled");
        tap.cancel(finished, "cancelled");

        assertThat(transport.sent).hasSize(1);
    }
}
