package io.chatai.chat;

import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.message.TokenUsage;
import io.chatai.core.Json;
import io.chatai.web.SseChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A turn as the Chat API streams it: {@code start}, {@code content}..., {@code end}, or a final
 * {@code error} event once the stream has begun. Used by one turn's thread.
 */
final class SseTurnStream implements TurnStream {
    private final SseChannel channel;

    // Records keep the contract's field order: "type" first.
    private record Start(String type, String conversationId) { }

    private record Content(String type, String text) { }

    private record End(String type, UsageView usage) { }

    SseTurnStream(SseChannel channel) {
        this.channel = channel;
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
    public void end(TokenUsage usage) {
        channel.send(Json.writeString(new End("end", UsageView.of(usage))));
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
