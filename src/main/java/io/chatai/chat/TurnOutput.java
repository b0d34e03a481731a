package io.chatai.chat;

import io.chatai.channel.CallContext;
import io.chatai.channel.ModelCalls;
import io.chatai.core.Cancellation;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.StreamEvent;
import io.chatai.provider.DeltaJoiner;

/**
 * Where one turn's model calls and tool steps go: nowhere until the end for {@code POST /api/chat}, to the
 * client as they happen for a stream (text without {@code <think>} blocks; reasoning only as {@code reasoning}
 * events to a client that asked). A stream's {@code start} is sent before its first other event, so a failover can
 * still happen while nothing of a call reached the client. Used by one turn's thread.
 */
final class TurnOutput {
    private final TurnStream stream;
    private final String conversationId;
    private final boolean reasoningEvents;
    private boolean started;

    private TurnOutput(TurnStream stream, String conversationId, boolean reasoningEvents) {
        this.stream = stream;
        this.conversationId = conversationId;
        this.reasoningEvents = reasoningEvents;
    }

    /** A non-streamed turn. */
    static TurnOutput none() {
        return new TurnOutput(null, null, false);
    }

    static TurnOutput streaming(TurnStream stream, String conversationId, boolean reasoningEvents) {
        return new TurnOutput(stream, conversationId, reasoningEvents);
    }

    /** One model call: whole, or streamed with its text (and asked-for reasoning) going to the client as it arrives. */
    ModelCalls.Result call(ModelCalls calls, ModelRequest request, CallContext context, Cancellation cancellation) {
        if (stream == null) {
            return calls.complete(request, context, cancellation);
        }
        boolean[] sent = {false};
        ThinkTags[] tags = new ThinkTags[1];
        ModelCalls.Result result = calls.stream(request, context, cancellation, () -> {
            // A fresh joiner and tag splitter per attempt: a failover only happens while nothing reached the client.
            DeltaJoiner joiner = new DeltaJoiner();
            DeltaJoiner reasoningJoiner = new DeltaJoiner();
            tags[0] = new ThinkTags();
            return event -> {
                switch (event) {
                    case StreamEvent.TextDelta delta -> sent[0] |= send(tags[0].accept(joiner.accept(delta.text())));
                    case StreamEvent.ReasoningDelta delta when reasoningEvents && delta.text() != null ->
                            sent[0] |= send(new ThinkTags.Split("", reasoningJoiner.accept(delta.text())));
                    default -> { }
                }
            };
        }, () -> sent[0]);
        if (tags[0] != null) {
            send(tags[0].finish()); // a tag that never completed
        }
        return result;
    }

    /** Sends a piece of the answer; whether anything went out. */
    private boolean send(ThinkTags.Split split) {
        boolean reasoning = reasoningEvents && !split.reasoning().isEmpty();
        if (split.text().isEmpty() && !reasoning) {
            return false;
        }
        begin();
        if (reasoning) {
            stream.reasoning(split.reasoning());
        }
        if (!split.text().isEmpty()) {
            stream.content(split.text());
        }
        return true;
    }

    void toolCall(ToolCallView call) {
        if (stream != null) {
            begin();
            stream.toolCall(call);
        }
    }

    void toolResult(ToolCallView call) {
        if (stream != null) {
            begin(); // a continued turn's first event is the result of the bot's own tool
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
