package io.chatai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.http.ServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A fake Gemini server ({@code POST /v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}): GenerateContentResponse objects, streamed as SSE {@code data:}
 * lines with no {@code [DONE]}; the last chunk carries {@code finishReason} and the full
 * {@code usageMetadata}. Errors are Google's {@code {"error":{code,message,status}}}. Thread-safe.
 */
public final class FakeGemini extends FakeUpstream {

    public FakeGemini() {
        super("/v1beta/models/*");
    }

    /** What Gemini really answers for a wrong key: a 400, not a 401. */
    public static Reply invalidKey() {
        return Reply.rawError(400, """
                {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                  "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                  "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}}""");
    }

    @Override
    public String type() {
        return "gemini";
    }

    @Override
    public String baseUrl() {
        return origin();
    }

    @Override
    protected Reply defaultReply(JsonNode body) {
        JsonNode contents = body.path("contents");
        int count = contents.size() + (body.has("systemInstruction") ? 1 : 0);
        return Reply.text("echo(" + count + "): ", contents.path(contents.size() - 1).path("parts").path(0).path("text").asText());
    }

    @Override
    public String systemPromptOf(Recorded request) {
        return request.body().path("systemInstruction").path("parts").path(0).path("text").asText(null);
    }

    @Override
    public List<String> conversationOf(Recorded request) {
        return request.body().path("contents").valueStream()
                .map(c -> (c.path("role").asText().equals("model") ? "assistant" : c.path("role").asText())
                        + ": " + c.path("parts").path(0).path("text").asText())
                .toList();
    }

    @Override
    protected boolean streaming(ServerRequest req, JsonNode body) {
        return req.path().path().endsWith(":streamGenerateContent");
    }

    @Override
    protected String modelOf(ServerRequest req, JsonNode body) {
        String raw = req.path().rawPath();
        String segment = raw.substring(raw.lastIndexOf('/') + 1);
        return URLDecoder.decode(segment.substring(0, segment.lastIndexOf(':')), StandardCharsets.UTF_8);
    }

    @Override
    protected String apiKeyOf(Map<String, String> headers) {
        return headers.get("x-goog-api-key");
    }

    @Override
    protected String errorBody(int status, String message) {
        return error(status, message).toString();
    }

    @Override
    protected JsonNode completion(JsonNode body, Reply reply) {
        return response(reply.joined(), "STOP", reply.usage() ? reply.chunks().size() : -1);
    }

    @Override
    protected List<String> streamHead(JsonNode body, Reply reply) {
        return List.of();
    }

    @Override
    protected String streamChunk(JsonNode body, Reply reply, String text) {
        // Every chunk carries the prompt's usage; the answer's count only arrives with the last one.
        return data(response(text, null, reply.usage() ? 0 : -1));
    }

    @Override
    protected List<String> streamTail(JsonNode body, Reply reply) {
        return List.of(data(response("", "STOP", reply.usage() ? reply.chunks().size() : -1)));
    }

    @Override
    protected boolean endMarkerIsSeparate() {
        return false; // the chunk with the finishReason is the end
    }

    @Override
    protected String streamError(int status, String message) {
        return data(error(status, message));
    }

    /** @param completionTokens 0 for a chunk without the answer's count, -1 for no usageMetadata at all */
    private static ObjectNode response(String text, String finishReason, int completionTokens) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts").addObject().put("text", text);
        content.put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        if (completionTokens >= 0) {
            ObjectNode usage = root.putObject("usageMetadata").put("promptTokenCount", 11);
            if (completionTokens > 0) {
                usage.put("candidatesTokenCount", completionTokens);
            }
            usage.put("totalTokenCount", 11 + completionTokens);
        }
        root.put("modelVersion", "gemini-fake");
        return root;
    }

    private static ObjectNode error(int status, String message) {
        ObjectNode root = JSON.createObjectNode();
        String name = switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> "INTERNAL";
        };
        root.putObject("error").put("code", status).put("message", message).put("status", name);
        return root;
    }
}
