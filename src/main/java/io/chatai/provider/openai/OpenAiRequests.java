package io.chatai.provider.openai;

import io.chatai.core.message.ChatMessage;
import io.chatai.core.message.ImageSource;
import io.chatai.core.message.ModelRequest;
import io.chatai.core.message.Part;
import io.chatai.core.message.ReasoningOptions;
import io.chatai.core.message.RequestOptions;
import io.chatai.core.message.ResponseFormat;
import io.chatai.core.message.ToolChoice;
import io.chatai.core.message.ToolSpec;
import io.chatai.provider.openai.OpenAiWire.Message;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the rich model as an OpenAI chat completions request, and names what this wire format cannot
 * carry. Stateless.
 */
final class OpenAiRequests {
    private OpenAiRequests() {
    }

    /**
     * @param completionTokens spell the output limit {@code max_completion_tokens} (see {@link #takesMaxCompletionTokens}),
     *                         else {@code max_tokens}
     */
    static OpenAiWire.Request request(ModelRequest request, boolean stream, boolean completionTokens) {
        RequestOptions o = request.options();
        boolean tools = !o.tools().isEmpty();
        // OpenAI refuses tool_choice and parallel_tool_calls without tools ("only allowed when tools are specified").
        return new OpenAiWire.Request(request.model(), request.messages().stream().map(OpenAiRequests::message).toList(),
                o.temperature(), o.topP(), completionTokens ? null : o.maxTokens(), completionTokens ? o.maxTokens() : null,
                o.stop().isEmpty() ? null : o.stop(), o.seed(),
                o.presencePenalty(), o.frequencyPenalty(), tools ? o.tools().stream().map(OpenAiRequests::tool).toList() : null,
                tools ? toolChoice(o.toolChoice()) : null, tools ? o.parallelToolCalls() : null,
                responseFormat(o.responseFormat()), effort(o.reasoning()),
                // top_logprobs is refused unless logprobs is true: asking for the top ones asks for logprobs.
                o.topLogprobs() != null && o.logprobs() == null ? Boolean.TRUE : o.logprobs(), o.topLogprobs(), o.n(),
                stream, stream ? new OpenAiWire.StreamOptions(true) : null);
    }

    /**
     * Whether the upstream is OpenAI's own API, whose reasoning models (o-series, gpt-5) refuse {@code max_tokens}
     * and whose models all take {@code max_completion_tokens}. Every other server gets {@code max_tokens}: DeepSeek,
     * vLLM, llama.cpp and Ollama know only that one.
     */
    static boolean takesMaxCompletionTokens(String baseUrl) {
        String host;
        try {
            host = URI.create(baseUrl).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return "api.openai.com".equalsIgnoreCase(host);
    }

    /**
     * The first field this wire format cannot honour: {@code n} above 1 (a {@code Completion} holds one choice;
     * {@code /v1} passes {@code n} through to OpenAI-type channels itself), or an image in a tool result (tool
     * messages take text parts only).
     */
    static Optional<String> unsupported(ModelRequest request) {
        Integer n = request.options().n();
        if (n != null && n > 1) {
            return Optional.of("n");
        }
        List<ChatMessage> messages = request.messages();
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i) instanceof ChatMessage.Tool tool) {
                for (int j = 0; j < tool.content().size(); j++) {
                    if (tool.content().get(j) instanceof Part.Image) {
                        return Optional.of("messages[" + i + "].content[" + j + "]");
                    }
                }
            }
        }
        return Optional.empty();
    }

    static Message message(ChatMessage message) {
        return switch (message) {
            case ChatMessage.System system -> new Message("system", system.text(), null, null, null, null);
            case ChatMessage.User user -> new Message("user", userContent(user.content()), user.name(), null, null, null);
            case ChatMessage.Assistant assistant -> assistant(assistant);
            case ChatMessage.Tool tool -> new Message("tool", tool.text(), null, null, tool.toolCallId(), null);
        };
    }

    /** A lone text part as a plain string (what every compatible server reads); anything more as parts. */
    private static Object userContent(List<Part> parts) {
        if (parts.size() == 1 && parts.getFirst() instanceof Part.Text text) {
            return text.text();
        }
        List<Object> content = new ArrayList<>(parts.size());
        for (Part part : parts) {
            switch (part) {
                case Part.Text text -> content.add(new OpenAiWire.TextPart(text.text()));
                case Part.Image image -> content.add(new OpenAiWire.ImagePart(new OpenAiWire.ImageUrl(url(image.source()), image.detail())));
                case Part.ToolCall call -> throw new IllegalArgumentException("a user message holds no tool calls");
                case Part.Reasoning reasoning -> throw new IllegalArgumentException("a user message holds no reasoning");
            }
        }
        return content;
    }

    private static String url(ImageSource source) {
        return switch (source) {
            case ImageSource.Url url -> url.url();
            case ImageSource.Inline inline -> inline.dataUrl();
        };
    }

    /**
     * Text, tool calls, and the reasoning text as {@code reasoning_content} only beside tool calls: DeepSeek and
     * GLM thinking models reject a tool round without it, while older reasoners reject it on plain answers.
     * Opaque state of other wire formats (signatures, redacted or encrypted reasoning) has no field here.
     */
    private static Message assistant(ChatMessage.Assistant assistant) {
        List<Part.ToolCall> calls = assistant.toolCalls();
        String text = assistant.text();
        if (calls.isEmpty()) {
            return new Message("assistant", text, null, null, null, null);
        }
        StringBuilder reasoning = new StringBuilder();
        for (Part.Reasoning part : assistant.reasoning()) {
            if (part.text() != null) {
                reasoning.append(part.text());
            }
        }
        List<OpenAiWire.ToolCall> toolCalls = calls.stream()
                .map(call -> new OpenAiWire.ToolCall(call.id(), new OpenAiWire.FunctionCall(call.name(), call.arguments())))
                .toList();
        return new Message("assistant", text.isEmpty() ? null : text, null, toolCalls, null,
                reasoning.isEmpty() ? null : reasoning.toString());
    }

    private static OpenAiWire.Tool tool(ToolSpec spec) {
        return new OpenAiWire.Tool(new OpenAiWire.Function(spec.name(), spec.description(), spec.parameters(), spec.strict()));
    }

    private static Object toolChoice(ToolChoice choice) {
        return switch (choice) {
            case null -> null;
            case ToolChoice.Auto auto -> "auto";
            case ToolChoice.None none -> "none";
            case ToolChoice.Required required -> "required";
            case ToolChoice.Named named -> new OpenAiWire.NamedToolChoice(named.name());
        };
    }

    private static OpenAiWire.ResponseFormat responseFormat(ResponseFormat format) {
        return switch (format) {
            case null -> null;
            case ResponseFormat.Text text -> new OpenAiWire.ResponseFormat("text", null);
            case ResponseFormat.JsonObject object -> new OpenAiWire.ResponseFormat("json_object", null);
            case ResponseFormat.JsonSchema schema -> new OpenAiWire.ResponseFormat("json_schema",
                    new OpenAiWire.JsonSchema(schema.name(), schema.description(), schema.schema(), schema.strict()));
        };
    }

    /**
     * {@code reasoning_effort}: the caller's effort as given, or one read off an explicit budget (from an
     * Anthropic-style request): 0 turns thinking off, up to 2,048 tokens is low, up to 8,192 medium, more high.
     */
    static String effort(ReasoningOptions reasoning) {
        if (reasoning == null) {
            return null;
        }
        if (reasoning.effort() != null) {
            return reasoning.effort();
        }
        Integer budget = reasoning.budgetTokens();
        if (budget == null) {
            return null;
        }
        return budget <= 0 ? "none" : budget <= 2_048 ? "low" : budget <= 8_192 ? "medium" : "high";
    }
}
