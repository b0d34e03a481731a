package io.chatai.chat;

import io.chatai.channel.CallContext;
import io.chatai.channel.ModelCalls;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.provider.DeltaJoiner;

/**
 * Where one turn's model calls and tool steps go: nowhere until the end for {@code POST /api/chat}, to the
 * client as they happen for a stream. A stream's {@code start} is sent before its first other event, so a
 * failover can still happen while nothing reached the client. Used by one turn's thread.
 */
final class TurnOutput {
    private final TurnStream stream;
    private final String conversationId;
    private boolean started;

    private TurnOutput(TurnStream stream, String conversationId) {
        this.stream = stream;
        this.conversationId = conversationId;
    }

    /** A non-streamed turn. */
    static TurnOutput none() {
        return new TurnOutput(null, null);
    }

    static TurnOutput streaming(TurnStream stream, String conversationId) {
        return new TurnOutput(stream, conversationId);
    }

    /** One model call: whole, or streamed with its text going to the client as it arrives. */
    ModelCalls.Result call(ModelCalls calls, ModelRequest request, CallContext context, Cancellation cancellation) {
        if (stream == null) {
            return calls.complete(request, context, cancellation);
        }
        boolean[] sent = {false};
        return calls.stream(request, context, cancellation, () -> {
            // A fresh joiner per attempt: a failover only happens while nothing of this call reached the client.
            DeltaJoiner joiner = new DeltaJoiner();
            return event -> {
                if (event instanceof StreamEvent.TextDelta delta) {
                    String ready = joiner.accept(delta.text());
                    if (!ready.isEmpty()) {
                        begin();
                        stream.content(ready);
                        sent[0] = true;
                    }
                }
            };
        }, () -> sent[0]);
    }

    void toolCall(ToolCallView call) {
        if (stream != null) {
            begin();
            stream.toolCall(call);
        }
    }

    void toolResult(ToolCallView call) {
        if (stream != null) {
            stream.toolResult(call);
        }
    }

    /** Sends {@code start} unless it was sent: an empty answer still gets its start before its end. */
    void begin() {
        if (stream != null && !started) {
            stream.start(conversationId);
            started = true;
        }
    }
}
