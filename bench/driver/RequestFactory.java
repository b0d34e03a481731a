package driver;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Builds the HTTP/1.1 requests of one target: the head once, the body per request (an OpenAI chat completion,
 * an Anthropic message, an OpenAI response, or a ChatAI {@code /api/chat} turn naming its user). Immutable after construction, so shared by all threads.
 */
final class RequestFactory {
    final String host;
    final int port;
    final String path;
    final boolean chat;
    final boolean stream;
    final String model;
    final String prefix;
    final String preset;
    /**
     * How many times a complete answer carries each content token: a Responses stream repeats the whole text
     * in {@code output_text.done}, {@code content_part.done}, {@code output_item.done} and {@code completed}
     * after its deltas; every other format carries it once.
     */
    final int answerCopies;
    final byte[] head; // up to and including "Content-Length: "
    final byte[] staticRequest;

    RequestFactory(LoadOptions o) {
        URI uri = URI.create(o.get("url", "http://127.0.0.1:3000/v1/chat/completions"));
        host = uri.getHost();
        port = uri.getPort() > 0 ? uri.getPort() : 80;
        path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        String kind = o.get("kind", "openai");
        chat = kind.equals("chat");
        answerCopies = kind.equals("responses") && o.values.containsKey("stream") ? 5 : 1;
        stream = o.values.containsKey("stream");
        model = o.get("model", chat ? null : "fake");
        prefix = o.get("prefix", "u");
        preset = o.get("preset", null);
        StringBuilder h = new StringBuilder(256);
        h.append("POST ").append(path).append(" HTTP/1.1\r\nHost: ").append(host).append(':').append(port)
                .append("\r\nContent-Type: application/json\r\n");
        if (stream) {
            h.append("Accept: text/event-stream\r\n");
        }
        String auth = o.get("auth", null);
        if (auth != null && !auth.isEmpty()) {
            h.append("Authorization: Bearer ").append(auth).append("\r\n");
        }
        for (String header : o.headers) {
            h.append(header.trim()).append("\r\n");
        }
        h.append("Content-Length: ");
        head = h.toString().getBytes(StandardCharsets.UTF_8);
        String streaming = stream ? ",\"stream\":true" : "";
        staticRequest = switch (kind) {
            case "chat" -> null;
            case "openai" -> build(("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":"
                    + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Hello, how are you today?\"}]"
                    + streaming + "}").getBytes(StandardCharsets.UTF_8));
            // The same question in Anthropic's Messages and OpenAI's Responses formats.
            case "messages" -> build(("{\"model\":\"" + model + "\",\"max_tokens\":256,\"system\":\"You are a helpful assistant.\","
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello, how are you today?\"}]" + streaming + "}")
                    .getBytes(StandardCharsets.UTF_8));
            case "responses" -> build(("{\"model\":\"" + model + "\",\"store\":false,\"instructions\":\"You are a helpful assistant.\","
                    + "\"input\":\"Hello, how are you today?\"" + streaming + "}").getBytes(StandardCharsets.UTF_8));
            default -> throw new IllegalArgumentException("--kind must be openai, chat, messages or responses, not " + kind);
        };
    }

    /** The request for turn {@code turn} of user {@code user} (openai: always the same bytes). */
    byte[] request(long user, long turn) {
        if (!chat) {
            return staticRequest;
        }
        StringBuilder b = new StringBuilder(160);
        b.append("{\"message\":\"Hello number ").append(turn).append(", how are you today?\",\"userId\":\"")
                .append(prefix).append('-').append(user).append("\",\"groupId\":\"bench\"");
        if (model != null) {
            b.append(",\"model\":\"").append(model).append('"');
        }
        if (preset != null) {
            b.append(",\"preset\":\"").append(preset).append('"');
        }
        b.append('}');
        return build(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private byte[] build(byte[] body) {
        byte[] length = (body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + length.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(length, 0, out, head.length, length.length);
        System.arraycopy(body, 0, out, head.length + length.length, body.length);
        return out;
    }
}
