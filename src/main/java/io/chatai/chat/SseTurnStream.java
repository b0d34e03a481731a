package io.chatai.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.message.TokenUsage;
import io.chatai.core.Json;
import io.chatai.web.SseChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A turn as the Chat API streams it: {@code start}, {@code content}..., {@code end}, or a final
 * {@code error} event once the stream has begun; {@code tool_call} and {@code tool_result} only for a client
 * that asked for them ({@code "events": ["tools"]}), so existing clients see exactly the events they always
 * did. Used by one turn's thread.
 */
final class SseTurnStream implements TurnStream {
    private final SseChannel channel;
    private final boolean toolEvents;

    // Records keep the contract's field order: "type" first.
    private record Start(String type, String conversationId) { }

    private record Content(String type, String text) { }

    private record ToolCallEvent(String type, String id, String name, JsonNode arguments) { }

    private record ToolResultEvent(String type, String id, String name, String result, boolean isError,
                                   long durationMs) { }

    private record End(String type, UsageView usage) { }

    private record PausedEnd(String type, String finishReason, String turnId, java.util.List<PendingCall> pendingToolCalls,
                             UsageView usage) { }

    SseTurnStream(SseChannel channel, boolean toolEvents) {
        this.channel = channel;
        this.toolEvents = toolEvents;
    }

    @Override
    public void start(String conversationId) {
        channel.send(Json.writeString(new Start("start", conversationId)));
    }

    @Override
    public void content(String text) {
        channel.send(Json.writeString(new Content("content", text)));
    }

    @Override
    public void reasoning(String text) {
        channel.send(Json.writeString(new Content("reasoning", text)));
    }

    @Override
    public void toolCall(ToolCallView call) {
        if (toolEvents) {
            channel.send(Json.writeString(new ToolCallEvent("tool_call", call.id(), call.name(), call.arguments())));
        }
    }

    @Override
    public void toolResult(ToolCallView call) {
        if (toolEvents) {
            channel.send(Json.writeString(new ToolResultEvent("tool_result", call.id(), call.name(), call.result(),
                    call.isError(), call.durationMs())));
        }
    }

    @Override
    public void end(TokenUsage usage) {
        channel.send(Json.writeString(new End("end", UsageView.of(usage))));
    }

    @Override
    public void paused(String turnId, java.util.List<ToolCallView> pending, TokenUsage usage) {
        channel.send(Json.writeString(new PausedEnd("end", "tool_calls", turnId, PendingCall.of(pending),
                UsageView.of(usage))));
    }

    /** Reports a failure: as an HTTP error while nothing was sent, else as the final {@code error} event. */
    void fail(ApiException error) {
        if (channel.failBeforeCommit(error)) {
            return;
        }
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "error");
        event.put("code", error.code().name());
        event.put("error", error.getMessage());
        if (error.details() != null) {
            event.put("details", error.details());
        }
        try {
            channel.send(Json.writeString(event));
        } catch (CallCancelledException gone) {
            // nobody is listening for the error any more
        }
    }
}
