package io.chatai.gateway;

import io.chatai.core.ApiException;
import io.chatai.core.CallCancelledException;
import io.chatai.core.Json;
import io.chatai.core.message.Completion;
import io.chatai.core.message.Part;
import io.chatai.core.message.StreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.chatai.provider.RawRelay;
import io.chatai.provider.DeltaJoiner;
import io.chatai.web.ErrorResponses;
import io.chatai.web.SseChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A translated answer streamed as the Responses API's events, each with its {@code sequence_number}:
 * {@code response.created} and {@code response.in_progress} (held back until the upstream's first piece, so
 * that a failure before it is still a plain HTTP error and failover stays possible), then per output item
 * {@code response.output_item.added}, its content events ({@code content_part.added},
 * {@code output_text.delta}/{@code .done}, {@code content_part.done}; {@code function_call_arguments.delta}/{@code .done};
 * {@code reasoning_summary_part.added}, {@code reasoning_summary_text.delta}/{@code .done},
 * {@code reasoning_summary_part.done}) and {@code response.output_item.done}, and last {@code response.completed}
 * or {@code response.incomplete}; a failure after the start is {@code response.failed}. Used by one request's thread.
 */
final class ResponsesStream {
    private final SseChannel sse;
    private final String id;
    private final long createdAt;
    private final ResponsesRequest request;
    private final List<Map<String, Object>> output = new ArrayList<>();
    private final Runnable beforeTranslatedStart;
    private int sequence;
    private boolean started;
    private boolean relayed;
    private JsonNode relayedResponse;
    private Open open; // the item receiving deltas, or null

    /** @param beforeTranslatedStart runs before the first event of a translated answer (its headers are still open) */
    ResponsesStream(SseChannel sse, String id, long createdAt, ResponsesRequest request, Runnable beforeTranslatedStart) {
        this.beforeTranslatedStart = beforeTranslatedStart;
        this.sse = sse;
        this.id = id;
        this.createdAt = createdAt;
        this.request = request;
    }

    boolean started() {
        return started;
    }

    /** The items sent so far (all of them once {@link #finish} ran). */
    List<Map<String, Object>> output() {
        return output;
    }

    /**
     * A sink for one upstream attempt: a failover only happens while nothing was sent, so one state serves all.
     * A relaying attempt's events go out as the upstream sent them; a translating one's become events here.
     */
    RawRelay.Sink sinkForAttempt() {
        return new RawRelay.Sink() {
            @Override
            public void forward(String data) {
                started = true;
                relayed = true;
                JsonNode event = Json.parseObject(data);
                String type = event.path("type").asText();
                if (type.equals("response.completed") || type.equals("response.incomplete")) {
                    relayedResponse = event.get("response");
                }
                sse.send(type, data);
            }

            @Override
            public void accept(StreamEvent event) {
                if (relayed) {
                    return; // counted by the call; the upstream's own events already went out
                }
                switch (event) {
                    case StreamEvent.TextDelta text -> text(text);
                    case StreamEvent.ReasoningDelta reasoning -> reasoning(reasoning);
                    case StreamEvent.ToolCallDelta call -> toolCall(call);
                    case StreamEvent.Done done -> {
                        // the last event is sent by finish(), with the accounted usage
                    }
                }
            }
        };
    }

    /** The upstream's final response when the answer was passed through, else null. */
    JsonNode relayedResponse() {
        return relayedResponse;
    }

    void finish(Completion completion) {
        if (relayed) {
            return; // the upstream's own last event has gone out
        }
        start();
        close();
        String status = ResponsesFormat.status(completion.finishReason());
        emit("response." + status, Map.of("response", ResponsesFormat.response(id, createdAt, request, status, output,
                completion.usage(), completion.finishReason(), null)));
    }

    /** @return whether the failure went out as an HTTP error (nothing was streamed yet) */
    boolean fail(ApiException error) {
        if (sse.failBeforeCommit(error)) {
            return true;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> shape = (Map<String, Object>) ErrorResponses.openAiError(error).get("error");
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("code", shape.get("code") != null ? shape.get("code") : shape.get("type"));
            detail.put("message", shape.get("message"));
            emit("response.failed", Map.of("response", ResponsesFormat.response(id, createdAt, request, "failed", output,
                    null, null, detail)));
        } catch (CallCancelledException gone) {
            // nobody is listening any more
        }
        return false;
    }

    private void start() {
        if (!started) {
            started = true;
            beforeTranslatedStart.run();
            emit("response.created", Map.of("response", ResponsesFormat.response(id, createdAt, request, "in_progress", null, null, null, null)));
            emit("response.in_progress", Map.of("response", ResponsesFormat.response(id, createdAt, request, "in_progress", null, null, null, null)));
        }
    }

    private void text(StreamEvent.TextDelta delta) {
        if (!(open instanceof Open.Message message && message.part == delta.part())) {
            close();
            start();
            Open.Message message = new Open.Message(delta.part(), ResponsesFormat.id("msg_"), output.size());
            open = message;
            emit("response.output_item.added", item(message.index, ResponsesFormat.message(message.itemId, null, "in_progress")));
            emit("response.content_part.added", content(message, Map.of("part", ResponsesFormat.outputText(""))));
        }
        Open.Message message = (Open.Message) open;
        String ready = message.joiner.accept(delta.text());
        if (!ready.isEmpty()) {
            message.text.append(ready);
            emit("response.output_text.delta", content(message, Map.of("delta", ready, "logprobs", List.of())));
        }
    }

    private void reasoning(StreamEvent.ReasoningDelta delta) {
        if (!(open instanceof Open.Reasoning reasoning && reasoning.part == delta.part())) {
            close();
            start();
            Open.Reasoning reasoning = new Open.Reasoning(delta.part(), ResponsesFormat.id("rs_"), output.size(), delta.origin());
            open = reasoning;
            emit("response.output_item.added", item(reasoning.index, ResponsesFormat.reasoning(reasoning.itemId, null,
                    ReasoningState.NONE, false)));
        }
        Open.Reasoning reasoning = (Open.Reasoning) open;
        if (delta.text() != null) {
            String ready = reasoning.joiner.accept(delta.text());
            if (!ready.isEmpty()) {
                if (reasoning.text.isEmpty()) {
                    emit("response.reasoning_summary_part.added", summary(reasoning, Map.of("part", ResponsesFormat.summaryText(""))));
                }
                reasoning.text.append(ready);
                emit("response.reasoning_summary_text.delta", summary(reasoning, Map.of("delta", ready)));
            }
        }
        if (delta.signature() != null) {
            reasoning.signature.append(delta.signature());
        }
        if (delta.redacted() != null) {
            reasoning.redacted.append(delta.redacted());
        }
    }

    private void toolCall(StreamEvent.ToolCallDelta delta) {
        if (!(open instanceof Open.Call call && call.part == delta.part())) {
            close();
            start();
            String callId = delta.id() != null ? delta.id() : ResponsesFormat.id("call_");
            if (delta.signature() != null && request.includeEncrypted()) {
                // Gemini's thought signature travels in a reasoning item before its call (see ReasoningState).
                Map<String, Object> carrier = ResponsesFormat.reasoning(ResponsesFormat.id("rs_"), null,
                        new ReasoningState(Part.Reasoning.GEMINI, null, null, Map.of(callId, delta.signature())), true);
                emit("response.output_item.added", item(output.size(), carrier));
                emit("response.output_item.done", item(output.size(), carrier));
                output.add(carrier);
            }
            Open.Call call = new Open.Call(delta.part(), ResponsesFormat.id("fc_"), output.size(), callId, delta.name());
            open = call;
            emit("response.output_item.added", item(call.index, ResponsesFormat.functionCall(call.itemId, call.callId, call.name, "",
                    "in_progress", request)));
        }
        Open.Call call = (Open.Call) open;
        if (delta.arguments() != null && !delta.arguments().isEmpty()) {
            call.arguments.append(delta.arguments());
            emit("response.function_call_arguments.delta", Map.of("item_id", call.itemId, "output_index", call.index,
                    "delta", delta.arguments()));
        }
    }

    /** Ends the open item with its closing events. */
    private void close() {
        Open current = open;
        open = null;
        switch (current) {
            case null -> {
            }
            case Open.Message message -> {
                String text = message.text.append(message.joiner.accept("")).toString();
                emit("response.output_text.done", content(message, Map.of("text", text, "logprobs", List.of())));
                emit("response.content_part.done", content(message, Map.of("part", ResponsesFormat.outputText(text))));
                done(message.index, ResponsesFormat.message(message.itemId, text, "completed"));
            }
            case Open.Reasoning reasoning -> {
                String text = reasoning.text.toString();
                if (!text.isEmpty()) {
                    emit("response.reasoning_summary_text.done", summary(reasoning, Map.of("text", text)));
                    emit("response.reasoning_summary_part.done", summary(reasoning, Map.of("part", ResponsesFormat.summaryText(text))));
                }
                ReasoningState state = new ReasoningState(reasoning.origin, blankToNull(reasoning.signature),
                        blankToNull(reasoning.redacted), Map.of());
                done(reasoning.index, ResponsesFormat.reasoning(reasoning.itemId, text, state, request.includeEncrypted()));
            }
            case Open.Call call -> {
                String arguments = call.arguments.isEmpty() ? "{}" : call.arguments.toString();
                emit("response.function_call_arguments.done", Map.of("item_id", call.itemId, "output_index", call.index,
                        "name", call.name, "arguments", arguments));
                done(call.index, ResponsesFormat.functionCall(call.itemId, call.callId, call.name, arguments, "completed", request));
            }
        }
    }

    private void done(int index, Map<String, Object> item) {
        emit("response.output_item.done", item(index, item));
        output.add(item);
    }

    private static Map<String, Object> item(int index, Map<String, Object> item) {
        return Map.of("output_index", index, "item", item);
    }

    private static Map<String, Object> content(Open.Message message, Map<String, Object> rest) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("item_id", message.itemId);
        event.put("output_index", message.index);
        event.put("content_index", 0);
        event.putAll(rest);
        return event;
    }

    private static Map<String, Object> summary(Open.Reasoning reasoning, Map<String, Object> rest) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("item_id", reasoning.itemId);
        event.put("output_index", reasoning.index);
        event.put("summary_index", 0);
        event.putAll(rest);
        return event;
    }

    private void emit(String type, Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.putAll(fields);
        event.put("sequence_number", sequence++);
        sse.send(type, Json.writeString(event));
    }

    private static String blankToNull(StringBuilder text) {
        return text.isEmpty() ? null : text.toString();
    }

    /** The output item receiving deltas: which model part feeds it, its id and place in {@code output}. */
    private sealed interface Open {
        final class Message implements Open {
            final int part;
            final String itemId;
            final int index;
            final StringBuilder text = new StringBuilder();
            final DeltaJoiner joiner = new DeltaJoiner();

            Message(int part, String itemId, int index) {
                this.part = part;
                this.itemId = itemId;
                this.index = index;
            }
        }

        final class Reasoning implements Open {
            final int part;
            final String itemId;
            final int index;
            final String origin;
            final StringBuilder text = new StringBuilder();
            final StringBuilder signature = new StringBuilder();
            final StringBuilder redacted = new StringBuilder();
            final DeltaJoiner joiner = new DeltaJoiner();

            Reasoning(int part, String itemId, int index, String origin) {
                this.part = part;
                this.itemId = itemId;
                this.index = index;
                this.origin = origin;
            }
        }

        final class Call implements Open {
            final int part;
            final String itemId;
            final int index;
            final String callId;
            final String name;
            final StringBuilder arguments = new StringBuilder();

            Call(int part, String itemId, int index, String callId, String name) {
                this.part = part;
                this.itemId = itemId;
                this.index = index;
                this.callId = callId;
                this.name = name;
            }
        }
    }
}
