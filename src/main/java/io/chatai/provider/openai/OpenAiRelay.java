package io.chatai.provider.openai;

import static io.chatai.provider.WireSupport.broken;
import static io.chatai.provider.WireSupport.next;

import io.chatai.core.Cancellation;
import io.chatai.core.Json;
import io.chatai.core.message.CompletionBuilder;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import io.chatai.core.message.StreamSink;
import io.chatai.core.message.TokenUsage;
import io.chatai.provider.RawRelay;
import io.chatai.provider.SseReader;
import io.chatai.provider.Upstream;
import io.chatai.provider.UpstreamFailures;
import io.chatai.provider.UpstreamHttp;
import io.chatai.provider.UpstreamResponse;
import io.chatai.provider.WireSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The OpenAI adapter's {@link RawRelay}: the caller's chat-completions body to {@code {baseUrl}/chat/completions}
 * with only {@code model} and the usage option edited ({@link RequestEdit}), and the answer back with only
 * {@code model} rewritten, in its text: no JSON tree is built or written per chunk ({@link ChunkScan} reads
 * each chunk once, for the model's position and the accounting). The usage-only chunk reaches the caller only
 * if the caller asked for it. Stream ends and in-stream errors are judged as the adapter judges them.
 * Thread-safe.
 */
final class OpenAiRelay {
    private final UpstreamHttp http;

    OpenAiRelay(UpstreamHttp http) {
        this.http = http;
    }

    RawRelay.Answer relay(Upstream upstream, RawRelay.Request request, String upstreamModel, String callerModel,
                          RawRelay.Sink sink, Cancellation cancellation) {
        byte[] body = RequestEdit.forUpstream(request.body(), request.stream(), upstreamModel).getBytes(StandardCharsets.UTF_8);
        String url = WireSupport.join(upstream.baseUrl(), "/chat/completions");
        Map<String, String> headers = upstream.apiKey() == null ? Map.of() : Map.of("Authorization", "Bearer " + upstream.apiKey());
        String model = Json.writeString(callerModel);
        try (var interrupt = cancellation.interruptCurrentThread();
             UpstreamResponse response = http.postJson(upstream, url, headers, body, request.stream())) {
            if (!request.stream()) {
                String answer = response.readBody();
                ChunkScan.Scanned scanned = scan(answer);
                if (!scanned.hasChoices()) {
                    throw broken("the response has no choices");
                }
                Pieces pieces = new Pieces();
                CompletionBuilder completion = new CompletionBuilder();
                pieces.emit(scanned, completion::accept);
                return new RawRelay.Answer(scanned.withModel(answer, model),
                        completion.build(FinishReason.fromWire(scanned.finishReason()), scanned.usage()));
            }
            stream(upstream, response, request.callerWantsUsage(), model, sink);
            return new RawRelay.Answer(null, null);
        }
    }

    private static void stream(Upstream upstream, UpstreamResponse response, boolean callerWantsUsage, String model,
                               RawRelay.Sink sink) {
        SseReader events = new SseReader(response.body());
        Pieces pieces = new Pieces();
        TokenUsage usage = null;
        String finishReason = null;
        SseReader.Event event;
        while ((event = next(events, finishReason != null)) != null) {
            String data = event.data();
            if (data.equals("[DONE]")) {
                break;
            }
            ChunkScan.Scanned chunk = scan(data);
            if (chunk.error() != null) {
                throw broken("error inside the stream: " + UpstreamFailures.clean(chunk.error(), upstream.secrets()));
            }
            if (chunk.usage() != null) {
                usage = chunk.usage();
            }
            if (chunk.finishReason() != null) {
                finishReason = chunk.finishReason();
            }
            pieces.emit(chunk, sink); // accounted (and bounded) before it is forwarded
            if (!chunk.usageOnly() || callerWantsUsage) {
                sink.forward(chunk.withModel(data, model));
            }
        }
        if (event == null && finishReason == null) {
            throw broken("the stream ended before a finish_reason or data: [DONE]");
        }
        sink.accept(new StreamEvent.Done(usage, FinishReason.fromWire(finishReason)));
        sink.forward("[DONE]");
    }

    private static ChunkScan.Scanned scan(String json) {
        try {
            return ChunkScan.scan(json);
        } catch (IOException | RuntimeException e) {
            throw broken("unparseable JSON from upstream");
        }
    }

    /**
     * Numbers the pieces of every choice as parts, in order of first appearance (a choice's text, its
     * reasoning, each of its tool calls), so the relayed answer is accounted as one assembled answer.
     */
    private static final class Pieces {
        private final Map<Long, Integer> parts = new HashMap<>();

        void emit(ChunkScan.Scanned scanned, StreamSink sink) {
            for (ChunkScan.Piece piece : scanned.pieces()) {
                long key = ((long) piece.choice() << 32) | ((long) piece.kind().ordinal() << 24) | (piece.tool() & 0xFFFFFFL);
                int part = parts.computeIfAbsent(key, k -> parts.size());
                sink.accept(switch (piece.kind()) {
                    case TEXT -> new StreamEvent.TextDelta(part, piece.text());
                    case REASONING -> new StreamEvent.ReasoningDelta(part, piece.text(), null, null, Part.Reasoning.OPENAI);
                    case TOOL -> new StreamEvent.ToolCallDelta(part, piece.id(), piece.name(), piece.text(), null);
                });
            }
        }
    }
}
