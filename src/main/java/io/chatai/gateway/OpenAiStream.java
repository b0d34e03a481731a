package io.chatai.gateway;

import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Json;
import io.chatai.core.Secrets;
import io.chatai.core.message.Completion;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.provider.DeltaJoiner;
import io.chatai.provider.RawRelay;
import io.chatai.web.ErrorResponses;
import io.chatai.web.SseChannel;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A completion streamed in OpenAI's chunk format. A relaying attempt's payloads go out as they came; a
 * translated answer becomes chunks: a first one with the assistant role, then content, {@code reasoning_content},
 * each tool call as deltas with its {@code index} (its {@code id} and {@code function.name} first, then
 * argument fragments), Anthropic's signed or redacted reasoning as whole {@code thinking_blocks} entries once
 * each block is complete, a chunk with the finish reason, the usage chunk when asked, then {@code [DONE]}.
 * A failure after the first chunk is sent as {@code data: {"error": ...}}, as OpenAI does. Used by one
 * request's thread.
 */
final class OpenAiStream {
    private final SseChannel sse;
    private final String id;
    private final long created;
    private final String model;
    private boolean started;
    private boolean relayEnded;
    private Translation translation;

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
    RawRelay.Sink sinkForAttempt() {
        Translation attempt = new Translation();
        translation = attempt;
        return new RawRelay.Sink() {
            @Override
            public void forward(String data) {
                started = true;
                sse.send(data);
                relayEnded = data.equals("[DONE]");
            }

            @Override
            public void accept(StreamEvent event) {
                attempt.accept(event);
            }
        };
    }

    /** Ends a translated answer; a relayed one has already ended with the upstream's own chunks. */
    void finish(Completion completion, boolean includeUsage) {
        if (relayEnded) {
            return;
        }
        start();
        if (translation != null) {
            translation.flush();
        }
        send(Map.of(), completion.finishReason().wire());
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
            send(delta, null);
        }
    }

    private void send(Map<String, Object> delta, String finishReason) {
        sse.send(Json.writeString(OpenAiFormat.chunk(id, created, model, delta, finishReason)));
    }

    /** One translated attempt: text per part joined across surrogates, tool calls numbered, reasoning state held to its block's end. */
    private final class Translation {
        private final Map<Integer, DeltaJoiner> joiners = new HashMap<>();
        private final Map<Integer, Integer> toolIndexes = new HashMap<>();
        private int pendingPart = -1;
        private StringBuilder pendingText;
        private String pendingSignature;
        private String pendingRedacted;

        void accept(StreamEvent event) {
            switch (event) {
                case StreamEvent.TextDelta text -> {
                    flushUnless(text.part());
                    String ready = joiner(text.part()).accept(text.text());
                    if (!ready.isEmpty()) {
                        start();
                        send(Map.of("content", ready), null);
                    }
                }
                case StreamEvent.ReasoningDelta reasoning -> reasoning(reasoning);
                case StreamEvent.ToolCallDelta call -> toolCall(call);
                case StreamEvent.Done done -> {
                    // the finish chunk is sent by finish(), with the accounted usage
                }
            }
        }

        private void reasoning(StreamEvent.ReasoningDelta delta) {
            flushUnless(delta.part());
            if (delta.text() != null) {
                String ready = joiner(delta.part()).accept(delta.text());
                if (!ready.isEmpty()) {
                    start();
                    send(Map.of("reasoning_content", ready), null);
                }
            }
            if (!Part.Reasoning.ANTHROPIC.equals(delta.origin())) {
                return; // Gemini's signatures on thoughts are not needed back (only those on calls are); see decisions
            }
            if (pendingPart != delta.part()) {
                pendingPart = delta.part();
                pendingText = new StringBuilder();
                pendingSignature = null;
                pendingRedacted = null;
            }
            if (delta.text() != null) {
                pendingText.append(delta.text());
            }
            if (delta.signature() != null) {
                pendingSignature = pendingSignature == null ? delta.signature() : pendingSignature + delta.signature();
            }
            if (delta.redacted() != null) {
                pendingRedacted = pendingRedacted == null ? delta.redacted() : pendingRedacted + delta.redacted();
            }
        }

        private void toolCall(StreamEvent.ToolCallDelta delta) {
            flushUnless(delta.part());
            Integer index = toolIndexes.get(delta.part());
            Map<String, Object> call = new LinkedHashMap<>();
            Map<String, Object> function = new LinkedHashMap<>();
            if (index == null) {
                index = toolIndexes.size();
                toolIndexes.put(delta.part(), index);
                call.put("index", index);
                call.put("id", delta.id() != null ? delta.id() : Secrets.newToken("call_", 24));
                call.put("type", "function");
                function.put("name", delta.name() == null ? "" : delta.name());
                function.put("arguments", delta.arguments() == null ? "" : delta.arguments());
            } else {
                call.put("index", index);
                if (delta.arguments() == null && delta.signature() == null) {
                    return;
                }
                function.put("arguments", delta.arguments() == null ? "" : delta.arguments());
            }
            call.put("function", function);
            if (delta.signature() != null) {
                call.put("extra_content", OpenAiFormat.thoughtSignature(delta.signature()));
            }
            start();
            send(Map.of("tool_calls", List.of(call)), null);
        }

        private DeltaJoiner joiner(int part) {
            return joiners.computeIfAbsent(part, p -> new DeltaJoiner());
        }

        private void flushUnless(int part) {
            if (pendingPart >= 0 && pendingPart != part) {
                flush();
            }
        }

        /** Sends the held Anthropic block, if it carries state worth sending back. */
        void flush() {
            if (pendingPart < 0) {
                return;
            }
            var reasoning = pendingSignature == null && pendingRedacted == null ? null
                    : new Part.Reasoning(pendingRedacted != null ? null : pendingText.toString(),
                    pendingSignature, pendingRedacted, Part.Reasoning.ANTHROPIC);
            pendingPart = -1;
            if (reasoning != null) {
                start();
                send(Map.of("thinking_blocks", List.of(ThinkingBlocks.of(reasoning))), null);
            }
        }
    }
}
