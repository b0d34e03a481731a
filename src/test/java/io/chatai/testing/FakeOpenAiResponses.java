package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.FinishReason;
import io.chatai.core.message.Part;
import io.chatai.core.message.TokenUsage;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A fake of OpenAI's Responses API ({@code POST /v1/responses}), for {@code openai} channels whose
 * {@code options.responsesApi} is true: a {@code response} object, or its SSE events ({@code event:} and
 * {@code data:} with {@code type} and {@code sequence_number}: {@code response.created}, {@code response.in_progress},
 * per item {@code response.output_item.added}, the text or argument deltas, {@code response.output_item.done},
 * and {@code response.completed}), as the API reference describes them. Text replies are one message; rich
 * replies render reasoning (its {@code redacted} as {@code encrypted_content}), text and function calls in order.
 * Errors in OpenAI's shape. What it received is read back minimally (user text, calls, outputs, tool names).
 */
public final class FakeOpenAiResponses extends FakeUpstream {
    public FakeOpenAiResponses() {
        super("/v1/responses");
    }

    @Override
    public String type() {
        return "openai";
    }

    @Override
    public String baseUrl() {
        return origin() + "/v1";
    }

    @Override
    protected Reply defaultReply(JsonNode body) {
        return Reply.text("ok");
    }

    @Override
    protected boolean streaming(ServerRequest req, JsonNode body) {
        return body.path("stream").asBoolean(false);
    }

    @Override
    protected String modelOf(ServerRequest req, JsonNode body) {
        return body.path("model").asText(null);
    }

    @Override
    protected String apiKeyOf(Map<String, String> headers) {
        String authorization = headers.get("authorization");
        return authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
    }

    @Override
    protected String errorBody(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", "invalid_request_error");
        return root.toString();
    }

    @Override
    protected JsonNode completion(JsonNode body, Reply reply) {
        return richCompletion(body, new Reply.Rich(List.of(new Part.Text(String.join("", reply.chunks()))), FinishReason.STOP,
                new TokenUsage(11, 2, false)));
    }

    @Override
    protected JsonNode richCompletion(JsonNode body, Reply.Rich rich) {
        ObjectNode response = response(body, "completed");
        ArrayNode output = response.putArray("output");
        int i = 0;
        for (Part part : rich.parts()) {
            output.add(item(part, i++, "completed"));
        }
        ObjectNode usage = response.putObject("usage");
        usage.put("input_tokens", rich.usage().promptTokens());
        usage.putObject("input_tokens_details").put("cached_tokens", rich.usage().cachedPromptTokens());
        usage.put("output_tokens", rich.usage().completionTokens());
        usage.putObject("output_tokens_details").put("reasoning_tokens", rich.usage().reasoningTokens());
        usage.put("total_tokens", rich.usage().promptTokens() + rich.usage().completionTokens());
        return response;
    }

    @Override
    protected List<String> richStream(JsonNode body, Reply.Rich rich) {
        List<String> frames = new ArrayList<>();
        int[] sequence = {0};
        frames.add(sse(sequence, "response.created", JSON.createObjectNode().set("response", response(body, "in_progress"))));
        frames.add(sse(sequence, "response.in_progress", JSON.createObjectNode().set("response", response(body, "in_progress"))));
        int index = 0;
        for (Part part : rich.parts()) {
            ObjectNode item = item(part, index, "completed");
            frames.add(sse(sequence, "response.output_item.added", JSON.createObjectNode().put("output_index", index)
                    .set("item", item(part, index, "in_progress"))));
            switch (part) {
                case Part.Text text -> frames.add(sse(sequence, "response.output_text.delta", JSON.createObjectNode()
                        .put("item_id", item.path("id").asText()).put("output_index", index).put("content_index", 0)
                        .put("delta", text.text())));
                case Part.ToolCall call -> frames.add(sse(sequence, "response.function_call_arguments.delta", JSON.createObjectNode()
                        .put("item_id", item.path("id").asText()).put("output_index", index).put("delta", call.arguments())));
                case Part.Reasoning reasoning when reasoning.text() != null -> frames.add(sse(sequence,
                        "response.reasoning_summary_text.delta", JSON.createObjectNode().put("item_id", item.path("id").asText())
                                .put("output_index", index).put("summary_index", 0).put("delta", reasoning.text())));
                default -> {
                }
            }
            frames.add(sse(sequence, "response.output_item.done", JSON.createObjectNode().put("output_index", index).set("item", item)));
            index++;
        }
        frames.add(sse(sequence, "response.completed", JSON.createObjectNode().set("response", richCompletion(body, rich))));
        return frames;
    }

    @Override
    protected List<String> streamHead(JsonNode body, Reply reply) {
        return List.of();
    }

    @Override
    protected String streamChunk(JsonNode body, Reply reply, String text) {
        return "";
    }

    @Override
    protected List<String> streamTail(JsonNode body, Reply reply) {
        return richStream(body, new Reply.Rich(List.of(new Part.Text(String.join("", reply.chunks()))), FinishReason.STOP,
                new TokenUsage(11, 2, false)));
    }

    @Override
    protected String streamError(int status, String message) {
        return sse(new int[] {0}, "error", JSON.createObjectNode().put("code", "server_error").put("message", message));
    }

    private static ObjectNode response(JsonNode body, String status) {
        ObjectNode response = JSON.createObjectNode();
        response.put("id", "resp_upstream_" + Integer.toHexString(System.identityHashCode(body)));
        response.put("object", "response").put("created_at", 1_700_000_000L).put("status", status);
        response.put("model", body.path("model").asText()).put("upstream_only_field", "kept");
        response.putArray("output");
        return response;
    }

    private static ObjectNode item(Part part, int index, String status) {
        ObjectNode item = JSON.createObjectNode();
        switch (part) {
            case Part.Text text -> {
                item.put("id", "msg_" + index).put("type", "message").put("status", status).put("role", "assistant");
                ArrayNode content = item.putArray("content");
                if (status.equals("completed")) {
                    content.addObject().put("type", "output_text").put("text", text.text()).putArray("annotations");
                }
            }
            case Part.ToolCall call -> item.put("id", "fc_" + index).put("type", "function_call").put("status", status)
                    .put("call_id", call.id()).put("name", call.name())
                    .put("arguments", status.equals("completed") ? call.arguments() : "");
            case Part.Reasoning reasoning -> {
                item.put("id", "rs_" + index).put("type", "reasoning");
                ArrayNode summary = item.putArray("summary");
                if (reasoning.text() != null && status.equals("completed")) {
                    summary.addObject().put("type", "summary_text").put("text", reasoning.text());
                }
                if (reasoning.redacted() != null) {
                    item.put("encrypted_content", reasoning.redacted());
                }
            }
            default -> throw new IllegalArgumentException("no Responses item for " + part);
        }
        return item;
    }

    private static String sse(int[] sequence, String type, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode().put("type", type);
        event.setAll(data);
        event.put("sequence_number", sequence[0]++);
        return event(type, event);
    }

    @Override
    public Received received(Recorded request) {
        List<ChatMessage> messages = new ArrayList<>();
        JsonNode input = request.body().path("input");
        if (input.isTextual()) {
            messages.add(ChatMessage.user(input.asText()));
        }
        for (JsonNode item : input.isArray() ? input : JSON.createArrayNode()) {
            switch (item.path("type").asText("message")) {
                case "function_call" -> messages.add(new ChatMessage.Assistant(List.of(new Part.ToolCall(item.path("call_id").asText(),
                        item.path("name").asText(), item.path("arguments").asText(), null))));
                case "function_call_output" -> messages.add(new ChatMessage.Tool(item.path("call_id").asText(), null,
                        List.of(new Part.Text(item.path("output").asText())), false));
                default -> messages.add(ChatMessage.user(item.path("content").isTextual() ? item.path("content").asText()
                        : item.path("content").path(0).path("text").asText()));
            }
        }
        List<String> tools = new ArrayList<>();
        request.body().path("tools").forEach(t -> tools.add(t.path("name").asText(t.path("type").asText())));
        return new Received(request.body().path("instructions").asText(null), messages, tools, null, List.of(), null, null);
    }

    @Override
    public String systemPromptOf(Recorded request) {
        return request.body().path("instructions").asText(null);
    }

    @Override
    public List<String> conversationOf(Recorded request) {
        return received(request).messages().stream().map(m -> m.role().wire() + ": " + m.text()).toList();
    }
}
