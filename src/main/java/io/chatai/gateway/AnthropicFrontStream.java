package io.chatai.gateway;

import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Json;
import io.chatai.core.message.Completion;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.provider.DeltaJoiner;
import io.chatai.provider.RawRelay;
import io.chatai.web.AnthropicErrors;
import io.chatai.web.SseChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;

/**
 * An answer streamed in Anthropic's event format. A relaying attempt's events go out as the upstream named
 * and wrote them. A translated answer follows Anthropic's order: {@code message_start}; per part of the
 * answer a {@code content_block_start}, its deltas ({@code text_delta}, {@code thinking_delta},
 * {@code signature_delta}, {@code input_json_delta}) and a {@code content_block_stop}, never two blocks open
 * at once; then {@code message_delta} with the stop reason and usage, and {@code message_stop}. Text and
 * thinking stream as they come; a tool call is sent as one block once its arguments are complete (OpenAI's
 * parallel calls may interleave, Anthropic's blocks may not). A failure after the first event is an
 * {@code error} event in Anthropic's shape. Used by one request's thread.
 */
final class AnthropicFrontStream {
    private static final Set<String> OPENING = Set.of("message_start", "content_block_start", "ping");
    /** Opening events held at most (a stream of nothing but openings is sent as it comes after these). */
    private static final int MAX_HELD = 16;
    private final SseChannel sse;
    private final String id;
    private final String model;
    private final int estimatedInput;
    private boolean started;
    private boolean relayed;
    private boolean relayEnded;
    private Translation translation;
    /** A relayed attempt's opening events, not yet sent. */
    private final List<String[]> held = new ArrayList<>();

    AnthropicFrontStream(SseChannel sse, String id, String model, int estimatedInput) {
        this.sse = sse;
        this.id = id;
        this.model = model;
        this.estimatedInput = estimatedInput;
    }

    boolean started() {
        return started;
    }

    /**
     * A sink for one upstream attempt; a failover only happens while nothing was sent. A relayed attempt's
     * opening events ({@code message_start}, {@code content_block_start}, {@code ping}) are held until its first
     * delta or closing event: Anthropic reports an overload as an {@code error} event right after them, and
     * holding them lets that attempt fail over instead of reaching the caller.
     */
    RawRelay.Sink sinkForAttempt() {
        Translation attempt = new Translation();
        translation = attempt;
        held.clear();
        return new RawRelay.Sink() {
            @Override
            public void forward(String data) {
                throw new IllegalStateException("Anthropic's events are always named");
            }

            @Override
            public void forward(String event, String data) {
                relayed = true;
                if (!started && OPENING.contains(event) && held.size() < MAX_HELD) {
                    held.add(new String[] {event, data});
                    return;
                }
                releaseHeld();
                sse.send(event, data);
                relayEnded |= event.equals("message_stop");
            }

            @Override
            public void accept(StreamEvent event) {
                attempt.accept(event);
            }
        };
    }

    private void releaseHeld() {
        started = true;
        for (String[] event : held) {
            sse.send(event[0], event[1]);
        }
        held.clear();
    }

    /** Ends the answer: a translated one with its stop reason and the accounted usage. */
    void finish(Completion completion) {
        if (relayed) {
            releaseHeld();
            if (!relayEnded) {
                send("message_stop", Map.of("type", "message_stop")); // the upstream ended after its stop reason
            }
            return;
        }
        start();
        if (translation != null) {
            translation.close();
        }
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", AnthropicFrontFormat.stopReason(completion.finishReason()));
        delta.put("stop_sequence", null);
        send("message_delta", Map.of("type", "message_delta", "delta", delta, "usage", AnthropicFrontFormat.usage(completion.usage())));
        send("message_stop", Map.of("type", "message_stop"));
    }

    void fail(ApiException error) {
        if (sse.failBeforeCommit(error)) {
            return;
        }
        try {
            sse.send("error", Json.writeString(AnthropicErrors.body(error)));
        } catch (CallCancelledException gone) {
            // nobody is listening any more
        }
    }

    private void start() {
        if (!started) {
            started = true;
            Map<String, Object> message = AnthropicFrontFormat.start(id, model);
            message.put("usage", Map.of("input_tokens", estimatedInput, "output_tokens", 0));
            send("message_start", Map.of("type", "message_start", "message", message));
        }
    }

    private void send(String event, Map<String, Object> data) {
        sse.send(event, Json.writeString(data));
    }

    /** A tool call being assembled. */
    private static final class PendingCall {
        String id;
        String name;
        String signature;
        final StringBuilder arguments = new StringBuilder();
    }

    /** One translated attempt: the open block, the next block index, the tool calls not yet sent. */
    private final class Translation {
        private final Map<Integer, PendingCall> calls = new TreeMap<>();
        private final Map<Integer, DeltaJoiner> joiners = new LinkedHashMap<>();
        private int nextBlock;
        private int openPart = -1;
        private int openBlock = -1;

        void accept(StreamEvent event) {
            switch (event) {
                case StreamEvent.TextDelta text -> {
                    String ready = joiner(text.part()).accept(text.text());
                    if (!ready.isEmpty()) {
                        open(text.part(), AnthropicFrontFormat.text(""));
                        delta(Map.of("type", "text_delta", "text", ready));
                    }
                }
                case StreamEvent.ReasoningDelta reasoning -> reasoning(reasoning);
                case StreamEvent.ToolCallDelta call -> {
                    PendingCall pending = calls.computeIfAbsent(call.part(), p -> new PendingCall());
                    pending.id = pending.id == null ? call.id() : pending.id;
                    pending.name = pending.name == null ? call.name() : pending.name;
                    pending.signature = call.signature() != null ? call.signature() : pending.signature;
                    if (call.arguments() != null) {
                        pending.arguments.append(call.arguments());
                    }
                }
                case StreamEvent.Done done -> {
                    // finish() ends the message with the accounted usage
                }
            }
        }

        private void reasoning(StreamEvent.ReasoningDelta delta) {
            if (delta.redacted() != null && Part.Reasoning.ANTHROPIC.equals(delta.origin())) {
                closeBlock();
                flushCalls();
                Map<String, Object> block = AnthropicFrontFormat.thinking(new Part.Reasoning(null, null, delta.redacted(),
                        Part.Reasoning.ANTHROPIC));
                send("content_block_start", Map.of("type", "content_block_start", "index", nextBlock, "content_block", block));
                send("content_block_stop", Map.of("type", "content_block_stop", "index", nextBlock++));
                return;
            }
            Map<String, Object> empty = new LinkedHashMap<>();
            empty.put("type", "thinking");
            empty.put("thinking", "");
            empty.put("signature", "");
            if (delta.text() != null) {
                String ready = joiner(delta.part()).accept(delta.text());
                if (!ready.isEmpty()) {
                    open(delta.part(), empty);
                    delta(Map.of("type", "thinking_delta", "thinking", ready));
                }
            }
            if (delta.signature() != null) {
                open(delta.part(), empty);
                String signature = Part.Reasoning.GEMINI.equals(delta.origin())
                        ? AnthropicFrontState.GEMINI_MARK + delta.signature() : delta.signature();
                delta(Map.of("type", "signature_delta", "signature", signature));
            }
        }

        /** Makes {@code part}'s block the open one: closes another, sends the tool calls that came before. */
        private void open(int part, Map<String, Object> block) {
            if (openPart == part) {
                return;
            }
            closeBlock();
            flushCalls();
            start();
            openPart = part;
            openBlock = nextBlock++;
            send("content_block_start", Map.of("type", "content_block_start", "index", openBlock, "content_block", block));
        }

        private void delta(Map<String, Object> delta) {
            send("content_block_delta", Map.of("type", "content_block_delta", "index", openBlock, "delta", delta));
        }

        private void closeBlock() {
            if (openBlock >= 0) {
                send("content_block_stop", Map.of("type", "content_block_stop", "index", openBlock));
                openBlock = -1;
                openPart = -1;
            }
        }

        private void flushCalls() {
            for (PendingCall call : calls.values()) {
                start();
                int index = nextBlock++;
                Map<String, Object> block = AnthropicFrontFormat.toolUse(
                        call.id != null ? call.id : io.chatai.core.Secrets.newToken("toolu_", 24),
                        call.name == null ? "" : call.name, call.signature);
                block.put("input", Map.of());
                send("content_block_start", Map.of("type", "content_block_start", "index", index, "content_block", block));
                if (!call.arguments.isEmpty()) {
                    send("content_block_delta", Map.of("type", "content_block_delta", "index", index,
                            "delta", Map.of("type", "input_json_delta", "partial_json", call.arguments.toString())));
                }
                send("content_block_stop", Map.of("type", "content_block_stop", "index", index));
            }
            calls.clear();
        }

        void close() {
            closeBlock();
            flushCalls();
        }

        private DeltaJoiner joiner(int part) {
            return joiners.computeIfAbsent(part, p -> new DeltaJoiner());
        }
    }
}
