package io.chatai.gateway;

import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.message.Completion;
import io.chatai.provider.DeltaJoiner;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.web.ErrorResponses;
import io.chatai.core.Json;
import io.chatai.web.SseChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A completion streamed in OpenAI's chunk format: a first chunk with the assistant role, one chunk per
 * delta, a chunk with the finish reason, the usage chunk when asked, then {@code data: [DONE]}. A failure
 * after the first chunk is sent as {@code data: {"error": ...}}, as OpenAI does. Used by one request's thread.
 */
final class OpenAiStream {
    private final SseChannel sse;
    private final String id;
    private final long created;
    private final String model;
    private boolean started;

    OpenAiStream(SseChannel sse, String id, long created, String model) {
        this.sse = sse;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    boolean started() {
        return started;
    }

    /** A sink for one upstream attempt; a failover only happens while nothing was sent. */
    StreamSink sinkForAttempt() {
        DeltaJoiner joiner = new DeltaJoiner();
        return event -> {
            if (event instanceof StreamEvent.TextDelta delta) {
                String ready = joiner.accept(delta.text());
                if (!ready.isEmpty()) {
                    start();
                    sse.send(Json.writeString(OpenAiFormat.chunk(id, created, model, Map.of("content", ready), null)));
                }
            }
        };
    }

    void finish(Completion completion, boolean includeUsage) {
        start();
        sse.send(Json.writeString(OpenAiFormat.chunk(id, created, model, Map.of(), completion.finishReason().wire())));
        if (includeUsage) {
            sse.send(Json.writeString(OpenAiFormat.usageChunk(id, created, model, completion.usage())));
        }
        sse.send("[DONE]");
    }

    void fail(ApiException error) {
        if (sse.failBeforeCommit(error)) {
            return;
        }
        try {
            sse.send(Json.writeString(ErrorResponses.openAiError(error)));
        } catch (CallCancelledException gone) {
            // nobody is listening any more
        }
    }

    private void start() {
        if (!started) {
            started = true;
            Map<String, Object> delta = new LinkedHashMap<>();
            delta.put("role", "assistant");
            delta.put("content", "");
            sse.send(Json.writeString(OpenAiFormat.chunk(id, created, model, delta, null)));
        }
    }
}
